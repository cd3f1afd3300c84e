package io.tickstock.admin.logging;

import ch.qos.logback.core.PropertyDefinerBase;
import io.tickstock.core.config.Settings;

/**
 * A logback property read through the gateway's own layers (system properties, environment, then
 * {@code .env} or {@code TICKSTOCK_ENV_FILE}), so that keys logback needs, such as
 * {@code TICKSTOCK_LOG_DIR}, may live in {@code .env} like every other key. Used in logback.xml as
 * {@code <define name="LOG_DIR" class="…SettingProperty"><key>TICKSTOCK_LOG_DIR</key><fallback>logs</fallback></define>}.
 */
public final class SettingProperty extends PropertyDefinerBase {
    private String key;
    private String fallback = "";

    public void setKey(String key) {
        this.key = key;
    }

    public void setFallback(String fallback) {
        this.fallback = fallback;
    }

    @Override
    public String getPropertyValue() {
        if (key == null) {
            addError("SettingProperty needs a <key>");
            return fallback;
        }
        try {
            return Settings.load().get(key, fallback);
        } catch (RuntimeException e) { // an unreadable .env: start-up reports it with its key, logging goes on
            addWarn("cannot read " + key + " from the settings: " + e.getMessage());
            return fallback;
        }
    }
}
