package io.tickstock.admin.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.status.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped logback.xml: its directory may come from .env, the live file has a size cap, library loggers are throttled. */
class LogbackConfigTest {
    @TempDir
    Path dir;

    @Test
    void theLiveLogFileIsSizeCappedAndLibrariesAreThrottled() throws Exception {
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // a stand-alone context needs one
        // TICKSTOCK_LOG_DIR in .env only: logback reads it through the settings' layers
        Path envFile = dir.resolve("test.env");
        Files.writeString(envFile, "TICKSTOCK_LOG_DIR=" + dir + "\n");
        System.setProperty("TICKSTOCK_ENV_FILE", envFile.toString());
        JoranConfigurator jc = new JoranConfigurator();
        jc.setContext(ctx);
        try {
            jc.doConfigure(LogbackXmlFormatTest.APP_LOGBACK.toUri().toURL());
        } finally {
            System.clearProperty("TICKSTOCK_ENV_FILE");
        }
        try {
            assertThat(ctx.getStatusManager().getCopyOfStatusList()).noneMatch(s -> s.getLevel() >= Status.WARN);
            @SuppressWarnings("unchecked")
            RollingFileAppender<ILoggingEvent> file =
                    (RollingFileAppender<ILoggingEvent>) ctx.getLogger("ROOT").getAppender("FILE");
            assertThat(file.getRollingPolicy()).isInstanceOf(SizeAndTimeBasedRollingPolicy.class);
            assertThat(file.getFile()).isEqualTo(dir.resolve("tickstock.log").toString());
            assertThat(ctx.getTurboFilterList()).hasAtLeastOneElementOfType(LibraryLogThrottle.class);
            org.slf4j.Logger lettuce = ctx.getLogger("io.lettuce.core.protocol.CommandHandler");
            for (int i = 0; i < 1_000; i++) {
                lettuce.warn("Internal stack size exceeded: {}", 8192);
            }
            ctx.stop(); // flush
            long lines = Files.readAllLines(dir.resolve("tickstock.log")).stream()
                    .filter(l -> l.contains("Internal stack size exceeded")).count();
            assertThat(lines).isEqualTo(10);
            assertThat(ctx.getStatusManager().getCopyOfStatusList()).noneMatch(s -> s.getLevel() >= Status.WARN);
        } finally {
            ctx.stop();
        }
    }
}
