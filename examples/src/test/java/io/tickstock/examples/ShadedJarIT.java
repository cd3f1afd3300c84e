package io.tickstock.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented commands, run as documented: {@code java -cp examples/target/tickstock-examples-all.jar …}. */
class ShadedJarIT {
    private static final Path JAR = Path.of(System.getProperty("examples.jar", "target/tickstock-examples-all.jar"));

    @Test
    void theEmbeddedFeedExampleRunsFromTheShadedJarWithTheEmulator(@TempDir Path dir) throws Exception {
        Result r = run(dir, "io.tickstock.examples.EmbeddedFeedExample", "--ticks", "5", "--seconds", "60");

        assertThat(r.exit).as(r.stderr).isZero();
        assertThat(r.stdout.get(0)).startsWith("No MASSIVE_API_KEY set: started the Massive emulator on ws://");
        assertThat(r.stdout.stream().filter(l -> l.endsWith(" T via connection_1"))).hasSize(5);
        assertThat(r.stdout.get(r.stdout.size() - 1))
                .matches("Printed 5 ticks; the feed delivered \\d+ in all \\(it kept running while stopping\\)");
    }

    @Test
    void theCustomUniverseExampleRunsFromTheShadedJar(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("mine.csv");
        Files.writeString(csv, "universe_key,ticker\nmine,ko\nmine,PEP\n");

        Result r = run(dir, "io.tickstock.examples.CustomUniverseExample", csv.toString(), "mine");

        assertThat(r.exit).as(r.stderr).isZero();
        assertThat(r.stdout).containsExactly("mine from csv:" + csv + ": [KO, PEP]", "dow30 from bundled samples (as of 2025-06-30)");
    }

    @Test
    void everyExampleRejectsAnUnknownArgumentWithItsUsageAndExit2AndAnswersHelpWithExit0(@TempDir Path dir)
            throws Exception {
        for (String example : List.of("EmbeddedFeedExample", "RedundantRedisExample", "RedisTickStatsExample",
                "CustomUniverseExample")) {
            String main = "io.tickstock.examples." + example;
            String usage = "Usage: java -cp examples/target/tickstock-examples-all.jar " + main + " "
                    + (example.equals("CustomUniverseExample") ? "[file.csv] [universe key] [--help]"
                    : "[--ticks N] [--seconds T] [--help]");

            Result bad = run(dir, main, "--bogus");
            assertThat(bad.exit).as(example).isEqualTo(2);
            assertThat(bad.stdout).as(example).isEmpty();
            assertThat(bad.stderr.lines()).as(example).containsExactly("Unknown argument: --bogus", usage);

            Result help = run(dir, main, "--help");
            assertThat(help.exit).as(example).isZero();
            assertThat(help.stdout).as(example + ": nothing started").containsExactly(usage);
        }
    }

    @Test
    void theShadedJarCarriesOurLicenceAndEveryBundledLibrarysNotices() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(text(jar, "META-INF/LICENSE")).contains("Apache License", "Version 2.0, January 2004");
            assertThat(text(jar, "META-INF/NOTICE")).startsWith("TickStock\n");
            // each library's files under its own name, none overwriting another's
            assertThat(text(jar, "META-INF/third-party/jackson-core/META-INF/NOTICE")).contains("Jackson");
            assertThat(text(jar, "META-INF/third-party/jackson-databind/META-INF/LICENSE")).contains("Apache License");
            assertThat(text(jar, "META-INF/third-party/lettuce-core/META-INF/LICENSE")).contains("MIT");
            assertThat(text(jar, "META-INF/third-party/slf4j-api/META-INF/LICENSE.txt")).contains("Permission is hereby granted");
        }
    }

    private static String text(JarFile jar, String name) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        assertThat(entry).as(name).isNotNull();
        try (var in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private record Result(int exit, List<String> stdout, String stderr) {
    }

    /** Runs a main class from the jar in {@code dir} (no .env there), without any TickStock variable set. */
    private static Result run(Path dir, String mainClass, String... args) throws Exception {
        assertThat(JAR).as("the shaded jar is built by `mvn package`").exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", JAR.toAbsolutePath().toString(), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MASSIVE_") || k.startsWith("WEBSOCKET_")
                || k.startsWith("REDIS_") || k.equals("TICKSTOCK_ENV_FILE") || k.equals("USE_MULTI_CONNECTION"));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished within 60 s").isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).lines().toList(),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
