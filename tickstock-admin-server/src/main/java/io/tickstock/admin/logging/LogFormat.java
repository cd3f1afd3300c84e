package io.tickstock.admin.logging;

import java.util.List;

/**
 * The {@code TICKSTOCK_LOG_FORMAT} key and its values, free of logback: the admin server checks the key
 * at start-up whatever logging binding the application chose.
 */
public final class LogFormat {
    /** The configuration key, read by the runnable jar's logback.xml and checked at start-up. */
    public static final String KEY = "TICKSTOCK_LOG_FORMAT";
    /** The accepted values. */
    public static final List<String> FORMATS = List.of("text", "json");

    private LogFormat() {
    }
}
