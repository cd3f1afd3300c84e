package io.tickstock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples' logback.xml takes EXAMPLES_LOG_LEVEL from .env like every other key. */
class LogLevelSettingTest {
    @TempDir
    Path dir;

    @Test
    void theLevelComesFromTheEnvFile() throws Exception {
        Path env = dir.resolve("test.env");
        Files.writeString(env, "EXAMPLES_LOG_LEVEL=DEBUG\n");
        assertThat(rootLevelWith(env)).isEqualTo(Level.DEBUG);
        assertThat(rootLevelWith(dir.resolve("missing.env"))).isEqualTo(Level.WARN);
    }

    private Level rootLevelWith(Path envFile) throws Exception {
        LoggerContext ctx = new LoggerContext();
        System.setProperty("TICKSTOCK_ENV_FILE", envFile.toString());
        try {
            JoranConfigurator jc = new JoranConfigurator();
            jc.setContext(ctx);
            jc.doConfigure(Path.of("src/main/resources/logback.xml").toUri().toURL());
            return ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel();
        } finally {
            System.clearProperty("TICKSTOCK_ENV_FILE");
            ctx.stop();
        }
    }
}
