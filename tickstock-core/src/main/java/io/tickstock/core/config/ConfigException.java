package io.tickstock.core.config;

import io.tickstock.core.internal.config.Secrets;

/**
 * A configuration value that cannot be used. The message always names the key, the offending value
 * (redacted for secrets) and what is allowed, so that start-up fails with one clear line.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    /** A bad {@code value} of {@code key}; {@code allowed} says what would be accepted. */
    public ConfigException(String key, String value, String allowed) {
        super("Invalid configuration " + key + "=" + quote(key, value) + ": " + allowed);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }

    private static String quote(String key, String value) {
        if (value == null) {
            return "<unset>";
        }
        return Secrets.isSecretKey(key) ? Secrets.REDACTED : "'" + value + "'";
    }
}
