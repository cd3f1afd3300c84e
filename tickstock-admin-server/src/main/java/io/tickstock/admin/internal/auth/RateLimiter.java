package io.tickstock.admin.internal.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per client key (the client address). Bounded: past {@code maxClients} keys, full
 * (idle) buckets are forgotten first; if every bucket is in use, the new client shares an overflow
 * bucket, so memory stays bounded and nobody gets through for free. Thread-safe.
 */
public final class RateLimiter {
    private static final String OVERFLOW = "\u0000overflow";

    /** The outcome of one attempt; {@code retryAfter} is zero when allowed. */
    public record Decision(boolean allowed, Duration retryAfter) {
        /** Whole seconds for a Retry-After header, at least 1. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    private final RateLimit limit;
    private final int maxClients;
    private final LongSupplier nanoTime;
    private final double tokensPerNano;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(RateLimit limit, int maxClients, LongSupplier nanoTime) {
        this.limit = limit;
        this.maxClients = maxClients;
        this.nanoTime = nanoTime;
        this.tokensPerNano = limit.count() / (double) limit.period().toNanos();
    }

    public RateLimiter(RateLimit limit) {
        this(limit, 10_000, System::nanoTime);
    }

    /** Takes one token for {@code client} if there is one. */
    public Decision tryAcquire(String client) {
        long now = nanoTime.getAsLong();
        Bucket b = buckets.get(client);
        if (b == null) {
            if (buckets.size() >= maxClients) {
                evictIdle(now);
            }
            String key = buckets.size() >= maxClients ? OVERFLOW : client;
            b = buckets.computeIfAbsent(key, k -> new Bucket(limit.count(), now));
        }
        synchronized (b) {
            refill(b, now);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return new Decision(true, Duration.ZERO);
            }
            long waitNanos = (long) Math.ceil((1 - b.tokens) / tokensPerNano);
            return new Decision(false, Duration.ofNanos(waitNanos));
        }
    }

    /**
     * Gives back the token {@code client} took for an attempt that turned out not to count (e.g. a
     * password check that succeeded), never beyond a full bucket.
     */
    public void refund(String client) {
        Bucket b = buckets.get(client);
        if (b == null) {
            b = buckets.get(OVERFLOW);
        }
        if (b == null) {
            return;
        }
        synchronized (b) {
            b.tokens = Math.min(limit.count(), b.tokens + 1);
        }
    }

    public RateLimit limit() {
        return limit;
    }

    private void refill(Bucket b, long now) {
        long elapsed = now - b.updatedNanos;
        if (elapsed > 0) {
            b.tokens = Math.min(limit.count(), b.tokens + elapsed * tokensPerNano);
            b.updatedNanos = now;
        }
    }

    private void evictIdle(long now) {
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue();
            synchronized (b) {
                refill(b, now);
                return b.tokens >= limit.count();
            }
        });
    }
}
