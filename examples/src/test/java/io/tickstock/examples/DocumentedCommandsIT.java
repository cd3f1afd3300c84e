package io.tickstock.examples;

import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs every {@code $ …} command of examples/README.md as a user would (from the repository root, with the
 * shaded jar) and compares what it prints with the lines printed below it in the README. Numbers, tickers
 * and spacing vary from run to run, so both sides are compared with digits, ticker symbols and runs of
 * blanks normalised; {@code …} in the README stands for any number of lines. Redis commands run against a
 * test redis-server (its URL substituted for {@code redis://127.0.0.1:6379}); the statistics consumer runs
 * while the publishing example feeds it.
 */
class DocumentedCommandsIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path README = ROOT.resolve("examples/README.md");
    private static final String DOC_REDIS = "redis://127.0.0.1:6379";
    private static final String ELLIPSIS = "…";

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @TempDir
    Path tmp;

    /** One {@code $ command} of the README and the lines documented as its output. */
    record Documented(String command, List<String> output) {
    }

    @Test
    void everyDocumentedCommandPrintsWhatTheReadmeShows() throws Exception {
        List<Documented> all = parse(Files.readString(README));
        assertThat(all).extracting(Documented::command).as("the README's commands")
                .anyMatch(c -> c.contains("EmbeddedFeedExample --ticks"))
                .anyMatch(c -> c.contains("RedundantRedisExample"))
                .anyMatch(c -> c.contains("RedisTickStatsExample"))
                .anyMatch(c -> c.contains("CustomUniverseExample"))
                .anyMatch(c -> c.contains("--tick 5"));
        Documented publisher = all.stream().filter(d -> d.command().contains("RedundantRedisExample")).findFirst()
                .orElseThrow();
        for (Documented d : all) {
            Run r;
            if (d.command().contains("RedisTickStatsExample")) {
                r = runWhilePublishing(d, publisher);
            } else {
                r = run(d.command());
            }
            List<String> actual = r.exit == 0 ? r.stdout : r.stderr;
            if (d.output().isEmpty()) {
                assertThat(r.exit).as("%s%n%s", d.command(), r.stderr).isZero();
                continue;
            }
            assertThat(matches(expected(d.output()), actual))
                    .as("`%s` printed (exit %d):%n%s%nstderr:%n%s%nbut the README shows:%n%s", d.command(), r.exit,
                            String.join("\n", actual), String.join("\n", r.stderr), String.join("\n", d.output()))
                    .isTrue();
        }
    }

    /** The {@code $ } lines of every code block and the lines after each up to the next one. */
    static List<Documented> parse(String markdown) {
        List<Documented> out = new ArrayList<>();
        Matcher block = Pattern.compile("(?s)```[a-z]*\\n(.*?)```").matcher(markdown);
        while (block.find()) {
            String command = null;
            List<String> lines = new ArrayList<>();
            for (String line : block.group(1).split("\n")) {
                if (line.startsWith("$ ")) {
                    if (command != null) {
                        out.add(new Documented(command, List.copyOf(lines)));
                    }
                    command = line.substring(2);
                    lines.clear();
                } else if (command != null && !line.isBlank()) {
                    lines.add(line);
                }
            }
            if (command != null) {
                out.add(new Documented(command, List.copyOf(lines)));
            }
        }
        return out;
    }

    private List<String> expected(List<String> documented) {
        return documented.stream().map(l -> l.replace(DOC_REDIS, REDIS.uri()).replace("/tmp/", tmp + "/")).toList();
    }

    /** Line by line after normalising; an {@code …} line matches any number of lines. */
    static boolean matches(List<String> expected, List<String> actual) {
        return matches(expected, 0, actual, 0);
    }

    private static boolean matches(List<String> e, int i, List<String> a, int j) {
        if (i == e.size()) {
            return j == a.size();
        }
        if (e.get(i).strip().equals(ELLIPSIS)) {
            for (int k = j; k <= a.size(); k++) {
                if (matches(e, i + 1, a, k)) {
                    return true;
                }
            }
            return false;
        }
        return j < a.size() && normalise(e.get(i)).equals(normalise(a.get(j))) && matches(e, i + 1, a, j + 1);
    }

    /** Digits become 0, ticker-like words SYM, runs of blanks one space. */
    static String normalise(String line) {
        return line.replaceAll("\\d+", "0").replaceAll("\\b[A-Z]{1,5}(\\.[A-Z])?\\b", "SYM")
                .replaceAll("\\s+", " ").strip();
    }

    private record Run(int exit, List<String> stdout, List<String> stderr) {
    }

    private ProcessBuilder process(String command) {
        String c = command.replace(DOC_REDIS, REDIS.uri()).replace("/tmp/", tmp + "/");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", c).directory(ROOT.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MASSIVE_") || k.startsWith("WEBSOCKET_")
                || k.startsWith("REDIS_") || k.equals("TICKSTOCK_ENV_FILE") || k.equals("USE_MULTI_CONNECTION"));
        // the java that runs this test, first on the PATH
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        return pb;
    }

    private Run run(String command) throws Exception {
        return finish(start(command, "run"), 90);
    }

    private record Started(Process process, Path out, Path err) {
    }

    private Started start(String command, String name) throws Exception {
        Path out = Files.createTempFile(tmp, name, ".out");
        Path err = Files.createTempFile(tmp, name, ".err");
        Process p = process(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Started(p, out, err);
    }

    private static Run finish(Started s, int seconds) throws Exception {
        try {
            assertThat(s.process.waitFor(seconds, TimeUnit.SECONDS)).as("finished within %d s", seconds).isTrue();
        } finally {
            s.process.destroyForcibly();
        }
        return new Run(s.process.exitValue(), Files.readString(s.out, StandardCharsets.UTF_8).lines().toList(),
                Files.readString(s.err, StandardCharsets.UTF_8).lines().toList());
    }

    /** The statistics consumer, started first; the publishing example runs once it listens. */
    private Run runWhilePublishing(Documented stats, Documented publisher) throws Exception {
        Started consumer = start(stats.command(), "stats");
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> Files.readString(consumer.out).startsWith("Listening"));
        Run pub = run(publisher.command());
        assertThat(pub.exit).as(String.join("\n", pub.stderr)).isZero();
        return finish(consumer, 60);
    }
}
