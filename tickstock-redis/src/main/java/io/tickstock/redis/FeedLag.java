package io.tickstock.redis;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * How far behind the market the feeds read, window by window: per connection the smallest delay from a
 * trade's or quote's own time to its receipt, and for the window the largest of those. A connection
 * with a backlog on the feed server shows it in every tick it reads, while a caught-up connection beside
 * it reads fresh ticks: one minimum over all connections would hide the one that falls behind.
 *
 * <p>Sampling is sparse (a tick in 64 over all connections), so a connection can have no sample in a
 * window while it reads on: its last delay then stands for up to {@value #CARRIED_WINDOWS} windows, so
 * that a window of only the caught-up connection's ticks does not clear the verdict. A connection quiet
 * for longer no longer counts.
 *
 * <p>Feed threads {@link #record} samples (one tick in 64: an atomic minimum costs nothing there); one
 * thread closes the windows. Bounded: a slot per connection id for the first {@value #SLOTS} ids,
 * any further ones share one slot.
 */
final class FeedLag {
    static final int SLOTS = 8;
    /** Windows a connection's last delay stands for without a new sample. */
    static final int CARRIED_WINDOWS = 10;
    /** {@link #closeWindow()} when no connection recorded anything in the window. */
    static final long NO_SAMPLE = -1;
    private static final long NONE = Long.MAX_VALUE;

    private static final class Slot {
        final String connectionId;
        final AtomicLong min = new AtomicLong(NONE);
        /** The window-closing thread's: the slot's latest window minimum, and windows since it. */
        long last = NONE;
        int windowsSince;

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
            min.accumulateAndGet(lagMillis, Math::min); // the shared slot has several writers
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
     * it or in the {@value #CARRIED_WINDOWS} windows before (a clock behind the exchange's reads as no
     * delay), or {@link #NO_SAMPLE}.
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
        if (m != NONE) {
            s.last = m;
            s.windowsSince = 0;
        } else if (s.last != NONE && ++s.windowsSince > CARRIED_WINDOWS) {
            s.last = NONE;
        }
        long l = s.last;
        return l == NONE ? worst : worst == NONE ? l : Math.max(worst, l);
    }
}
