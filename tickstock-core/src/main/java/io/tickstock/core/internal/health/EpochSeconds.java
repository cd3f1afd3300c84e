package io.tickstock.core.internal.health;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Epoch seconds with millisecond decimals, for the JSON fields documented in seconds. A
 * {@link BigDecimal} of scale 3 always prints plainly ({@code 1796134770.481}), where a
 * {@code double} would print as {@code 1.796134770481E9}.
 */
public final class EpochSeconds {
    private EpochSeconds() {
    }

    /** {@code epochMillis} as seconds with three decimals. */
    public static BigDecimal of(long epochMillis) {
        return BigDecimal.valueOf(epochMillis, 3);
    }

    /** {@code epochMillis} as seconds with three decimals, or null for null. */
    public static BigDecimal of(Long epochMillis) {
        return epochMillis == null ? null : of(epochMillis.longValue());
    }

    /** {@code instant} as seconds with three decimals, or null for null. */
    public static BigDecimal of(Instant instant) {
        return instant == null ? null : of(instant.toEpochMilli());
    }
}
