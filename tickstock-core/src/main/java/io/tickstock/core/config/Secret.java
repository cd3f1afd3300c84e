package io.tickstock.core.config;

import io.tickstock.core.internal.config.Secrets;

/** A secret string (API key, password). Its {@code toString} is redacted; call {@link #reveal()} to use it. */
public final class Secret {
    private final String value;

    /** Wraps {@code value}; only {@link #reveal()} gives it back. */
    public Secret(String value) {
        this.value = java.util.Objects.requireNonNull(value);
    }

    /** The real value, for the one place that must send it (auth message, password check). */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return Secrets.REDACTED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.security.MessageDigest.isEqual(
                s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
