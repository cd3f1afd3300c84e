package io.tickstock.examples;

import ch.qos.logback.core.PropertyDefinerBase;
import io.tickstock.core.config.Settings;

/**
 * {@code EXAMPLES_LOG_LEVEL} for the examples' logback.xml, read like every other key (system
 * properties, environment, then {@code .env}), so that it may live in {@code .env}.
 */
public final class LogLevelSetting extends PropertyDefinerBase {
    static final String KEY = "EXAMPLES_LOG_LEVEL";

    @Override
    public String getPropertyValue() {
        try {
            return Settings.load().get(KEY, "WARN");
        } catch (RuntimeException e) { // an unreadable .env is reported by the example itself
            return "WARN";
        }
    }
}
