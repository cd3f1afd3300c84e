package io.tickstock.admin.internal.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Messages per second per connection over a recent window, from periodic samples of each
 * connection's lifetime message count (a real windowed rate, not a lifetime average), plus a short
 * history of per-interval rates for the page's throughput chart. Samples are taken by one thread
 * (the stream's scheduler); reads come from any thread.
 */
public final class ThroughputTracker {
    /** Samples kept per connection; with a 1 s interval, two minutes. */
    public static final int CAPACITY = 120;

    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();

    private static final class Ring {
        final long[] at = new long[CAPACITY];
        final long[] count = new long[CAPACITY];
        final double[] rate = new double[CAPACITY];
        int size;
        int head; // index of the next write

        synchronized void add(long now, long c) {
            double r = 0;
            if (size > 0) {
                int prev = (head - 1 + CAPACITY) % CAPACITY;
                long dt = now - at[prev];
                r = dt > 0 ? Math.max(0, c - count[prev]) * 1e9 / dt : 0;
            }
            at[head] = now;
            count[head] = c;
            rate[head] = r;
            head = (head + 1) % CAPACITY;
            size = Math.min(size + 1, CAPACITY);
        }

        synchronized double rate(long now, long current, long window) {
            if (size == 0) {
                return -1;
            }
            // the oldest sample still inside the window; at least the newest one
            int idx = (head - 1 + CAPACITY) % CAPACITY;
            for (int i = 1; i < size; i++) {
                int j = (head - 1 - i + 2 * CAPACITY) % CAPACITY;
                if (now - at[j] > window) {
                    break;
                }
                idx = j;
            }
            long dt = now - at[idx];
            if (dt <= 0) {
                return rate[idx];
            }
            return Math.max(0, current - count[idx]) * 1e9 / dt;
        }

        synchronized List<Double> history(int max) {
            int n = Math.min(max, size);
            List<Double> out = new ArrayList<>(n);
            for (int i = n - 1; i >= 0; i--) {
                out.add(round(rate[(head - 1 - i + 2 * CAPACITY) % CAPACITY]));
            }
            return out;
        }
    }

    public ThroughputTracker(java.time.Duration window, LongSupplier nanoTime) {
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Records a connection's lifetime message count now. */
    public void sample(String connectionId, long messageCount) {
        rings.computeIfAbsent(connectionId, k -> new Ring()).add(nanoTime.getAsLong(), messageCount);
    }

    /**
     * Messages per second over the window ending now, given the current lifetime count;
     * {@code fallback} when nothing was sampled yet.
     */
    public double rate(String connectionId, long currentCount, double fallback) {
        Ring r = rings.get(connectionId);
        double v = r == null ? -1 : r.rate(nanoTime.getAsLong(), currentCount, windowNanos);
        return round(v < 0 ? fallback : v);
    }

    /** The last {@code max} per-interval rates, oldest first. */
    public List<Double> history(String connectionId, int max) {
        Ring r = rings.get(connectionId);
        return r == null ? List.of() : r.history(max);
    }

    static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
