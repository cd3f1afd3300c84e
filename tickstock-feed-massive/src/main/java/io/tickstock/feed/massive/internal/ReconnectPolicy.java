package io.tickstock.feed.massive.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th consecutive failure waits a uniformly random time
 * between {@code base} and {@code min(max, base × 2^n)}, so that clients dropped together do not
 * come back together. {@link #reset()} after a stable session starts again from {@code base}.
 * Not thread-safe: used on its connection's event loop only.
 */
public final class ReconnectPolicy {
    private final long baseMillis;
    private final long maxMillis;
    private final int maxRetries;
    private final DoubleSupplier random;
    private int failures;

    /**
     * @param maxRetries consecutive failures allowed before giving up; negative: unlimited
     * @param random     uniform values in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble}
     */
    public ReconnectPolicy(Duration base, Duration max, int maxRetries, DoubleSupplier random) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.maxMillis = Math.max(baseMillis, max.toMillis());
        this.maxRetries = maxRetries;
        this.random = random;
    }

    /** Records a failure; the delay before the next attempt, or null when retries are exhausted. */
    public Duration nextDelay() {
        if (maxRetries >= 0 && failures >= maxRetries) {
            return null;
        }
        int n = Math.min(failures, 30);
        failures++;
        long grown = baseMillis << n;
        long ceiling = grown <= 0 || grown >>> n != baseMillis ? maxMillis : Math.min(maxMillis, grown);
        long delay = baseMillis + (long) (random.getAsDouble() * (ceiling - baseMillis));
        return Duration.ofMillis(delay);
    }

    /** Consecutive failures since the last reset. */
    public int failures() {
        return failures;
    }

    /** Forgets the failures: the next delay is the first one again. */
    public void reset() {
        failures = 0;
    }
}
