package io.tickstock.core.internal.health;

/**
 * A message rate over a recent window, computed from periodic samples of a monotonic counter, so
 * the hot path pays nothing (it only increments its counter). Thread-safe.
 */
public final class RateMeter {
    private final long[] counts;
    private final long[] nanos;
    private int next;
    private int size;

    /** @param samples how many samples the window spans (window ≈ (samples-1) × sample period) */
    public RateMeter(int samples) {
        if (samples < 2) {
            throw new IllegalArgumentException("need at least two samples");
        }
        counts = new long[samples];
        nanos = new long[samples];
    }

    /** Records the counter's value at {@code nanoTime}. */
    public synchronized void sample(long count, long nanoTime) {
        counts[next] = count;
        nanos[next] = nanoTime;
        next = (next + 1) % counts.length;
        size = Math.min(size + 1, counts.length);
    }

    /** Events per second between the oldest and newest sample in the window; 0 before two samples. */
    public synchronized double rate() {
        if (size < 2) {
            return 0;
        }
        int newest = Math.floorMod(next - 1, counts.length);
        int oldest = size < counts.length ? 0 : next;
        long dt = nanos[newest] - nanos[oldest];
        return dt <= 0 ? 0 : (counts[newest] - counts[oldest]) * 1e9 / dt;
    }
}
