package io.tickstock.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every published jar names its module ({@code Automatic-Module-Name}), so an embedder on the module
 * path gets a stable name rather than one derived from the file name. Runs after the reactor has
 * packaged the modules this one follows.
 */
class ModuleNamesIT {
    private static final Map<String, String> MODULES = Map.of(
            "tickstock-core", "io.tickstock.core",
            "tickstock-emulator", "io.tickstock.emulator",
            "tickstock-feed-massive", "io.tickstock.feed.massive",
            "tickstock-redis", "io.tickstock.redis",
            "tickstock-admin-server", "io.tickstock.admin",
            "examples", "io.tickstock.examples");

    @Test
    void everyMainJarCarriesItsAutomaticModuleName() throws IOException {
        for (Map.Entry<String, String> m : MODULES.entrySet()) {
            Path jar = mainJar(Path.of("..", m.getKey(), "target"));
            try (JarFile file = new JarFile(jar.toFile())) {
                assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                        .as(jar.toString()).isEqualTo(m.getValue());
            }
        }
    }

    /** The emulator is its own artifact: the production feed jar must carry none of it. */
    @Test
    void theFeedJarContainsNoEmulator() throws IOException {
        Path feed = mainJar(Path.of("..", "tickstock-feed-massive", "target"));
        try (JarFile file = new JarFile(feed.toFile())) {
            List<String> names = file.stream().map(e -> e.getName()).toList();
            assertThat(names).as(feed.toString()).contains("io/tickstock/feed/massive/MassiveFeedClient.class");
            assertThat(names).as(feed.toString())
                    .noneMatch(n -> n.startsWith("io/tickstock/emulator/") || n.contains("/emulator/")
                            || n.contains("Emulator"));
        }
        Path emulator = mainJar(Path.of("..", "tickstock-emulator", "target"));
        try (JarFile file = new JarFile(emulator.toFile())) {
            assertThat(file.getEntry("io/tickstock/emulator/MassiveEmulator.class")).as(emulator.toString()).isNotNull();
        }
    }

    @Test
    void testJarsNameNoModuleSoTheyCannotClashWithTheMainJar() throws IOException {
        Path jar = only(Path.of("..", "tickstock-core", "target"), "-tests.jar");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).as(jar.toString())
                    .isNull();
        }
    }

    private static Path mainJar(Path target) throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("tickstock-[a-z-]+?-\\d[^-]*(-SNAPSHOT)?\\.jar"))
                    .toList();
            assertThat(jars).as("the main jar in %s", target).hasSize(1);
            return jars.get(0);
        }
    }

    private static Path only(Path target, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            assertThat(jars).as("%s in %s", suffix, target).hasSize(1);
            return jars.get(0);
        }
    }
}
