package io.tickstock.admin.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's own logback.xml: TICKSTOCK_LOG_FORMAT picks the encoder of the console and the file. */
class LogbackXmlFormatTest {
    /** The runnable jar's configuration; the library jar carries none (an embedder picks its own). */
    static final Path APP_LOGBACK = Path.of("src/app/resources/logback.xml");

    @TempDir
    Path logs;

    /** logback.xml reads both keys through the settings layers, so the test sets them as system properties. */
    private LoggerContext configure(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        System.setProperty("TICKSTOCK_LOG_DIR", logs.toString());
        if (format != null) {
            System.setProperty(LogFormatEncoder.KEY, format);
        } else {
            System.clearProperty(LogFormatEncoder.KEY);
        }
        JoranConfigurator c = new JoranConfigurator();
        c.setContext(context);
        try {
            c.doConfigure(APP_LOGBACK.toUri().toURL());
        } finally {
            System.clearProperty("TICKSTOCK_LOG_DIR");
            System.clearProperty(LogFormatEncoder.KEY);
        }
        return context;
    }

    @Test
    void theLibraryCarriesNoLoggingConfiguration() {
        // the library's resources hold no logback.xml (the jar plugin also leaves any out), so an embedder's wins
        assertThat(Path.of("src/main/resources/logback.xml")).doesNotExist();
        assertThat(Path.of("src/main/resources/static")).isDirectory();
        assertThat(APP_LOGBACK).isRegularFile();
    }

    private static String format(LoggerContext context, String appender) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        OutputStreamAppender<?> a = (OutputStreamAppender<?>) root.getAppender(appender);
        assertThat(a).as(appender).isNotNull();
        return ((LogFormatEncoder) a.getEncoder()).format();
    }

    @Test
    void textByDefaultAndJsonWhenAskedForBothOutputs() throws Exception {
        LoggerContext text = configure(null);
        assertThat(format(text, "CONSOLE")).isEqualTo("text");
        assertThat(format(text, "FILE")).isEqualTo("text");
        text.stop();

        LoggerContext json = configure("json");
        assertThat(format(json, "CONSOLE")).isEqualTo("json");
        assertThat(format(json, "FILE")).isEqualTo("json");
        json.stop();
    }
}
