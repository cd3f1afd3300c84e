package io.tickstock.admin.internal.auth;

import io.tickstock.core.internal.config.Durations;

import java.time.Duration;

/**
 * A rate written {@code <count>/<duration>}, e.g. {@code 10/1m}: at most {@code count} requests per
 * {@code period} per client, refilled smoothly, bursts up to {@code count}.
 */
public record RateLimit(int count, Duration period) {
    public static final String ALLOWED = "<count>/<duration>, e.g. 10/1m or 300/1m (count 1..1000000)";

    public RateLimit {
        if (count < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException(ALLOWED);
        }
    }

    public static RateLimit parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException(ALLOWED);
        }
        int count = Integer.parseInt(text.substring(0, slash).strip());
        if (count > 1_000_000) {
            throw new IllegalArgumentException(ALLOWED);
        }
        return new RateLimit(count, Durations.parse(text.substring(slash + 1)));
    }

    @Override
    public String toString() {
        return count + "/" + Durations.format(period);
    }
}
