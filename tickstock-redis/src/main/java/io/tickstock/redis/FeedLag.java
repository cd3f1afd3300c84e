package io.tickstock.redis;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * How far behind the market the feeds read, window by window: per connection the smallest delay from a
 * trade's or quote's own time to its receipt, and for the window the largest of those. A connection
 * with a backlog on the feed server shows it in every tick it reads, while a caught-up connection beside
 * it reads fresh ticks: one minimum over all connections would hide the one that falls behind.
 *
 * <p>Feed threads {@link #record} samples (a racy minimum: a sample lost now and then does not matter);
 * one thread closes the windows. Bounded: a slot per connection id for the first {@value #SLOTS} ids,
 * any further ones share one slot.
 */
final class FeedLag {
    static final int SLOTS = 8;
    /** {@link #closeWindow()} when no connection recorded anything in the window. */
    static final long NO_SAMPLE = -1;
    private static final long NONE = Long.MAX_VALUE;

    private static final class Slot {
        final String connectionId;
        final AtomicLong min = new AtomicLong(NONE);

        Slot(String connectionId) {
            this.connectionId = connectionId;
        }
    }

    private final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SLOTS);
    private final Slot others = new Slot(null);

    /** Feed threads: a tick of {@code connectionId} was received {@code lagMillis} after its own time. */
    void record(String connectionId, long lagMillis) {
        AtomicLong min = slot(connectionId).min;
        if (lagMillis < min.get()) {
            min.set(lagMillis);
        }
    }

    private Slot slot(String connectionId) {
        if (connectionId == null) {
            return others;
        }
        for (int i = 0; i < SLOTS; i++) {
            Slot s = slots.get(i);
            if (s == null) {
                Slot mine = new Slot(connectionId);
                if (slots.compareAndSet(i, null, mine)) {
                    return mine;
                }
                s = slots.get(i);
            }
            if (s.connectionId.equals(connectionId)) {
                return s;
            }
        }
        return others;
    }

    /**
     * Ends the window: the delay of the connection furthest behind among those that recorded a tick in
     * it (a clock behind the exchange's reads as no delay), or {@link #NO_SAMPLE}.
     */
    long closeWindow() {
        long worst = closeWindow(others, NONE);
        for (int i = 0; i < SLOTS; i++) {
            Slot s = slots.get(i);
            if (s != null) {
                worst = closeWindow(s, worst);
            }
        }
        return worst == NONE ? NO_SAMPLE : Math.max(0, worst);
    }

    private static long closeWindow(Slot s, long worst) {
        long m = s.min.getAndSet(NONE);
        return m == NONE ? worst : worst == NONE ? m : Math.max(worst, m);
    }
}
