package io.tickstock.core.connection;

import io.tickstock.core.internal.dedup.EventDeduplicator.SymbolWindows;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the event path needs of one ticker a connection carries, found with the connection's one map
 * lookup per event: the ticker's de-duplication windows while two connections can carry it, and its
 * delivered-events counter for auto-rebalance.
 *
 * <p>Owner: the manager's control queue sets {@link #windows} (placement and sharing changes); the
 * connection's I/O thread only reads it, except {@link #attachIfNone} for a ticker a whole-market
 * slot sees for the first time, which races the control queue safely by compare-and-set. The
 * {@link io.tickstock.core.bus.SymbolStateSink sinks' states} for the ticker are the I/O thread's
 * alone (a client never delivers its events from two threads at once): a cache that starts empty in
 * every new entry.
 */
final class CarriedTicker {
    private static final VarHandle WINDOWS;

    static {
        try {
            WINDOWS = MethodHandles.lookup().findVarHandle(CarriedTicker.class, "windows", SymbolWindows.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Null while only one connection can carry the ticker: its events pass unchecked. */
    private volatile SymbolWindows windows;
    /** Delivered events of the ticker, shared by every connection carrying it; null unless auto-rebalance is on. */
    final LongAdder events;

    /** Per sink (by its place among the manager's sinks): the state it gave for this ticker, or null. I/O thread only. */
    private Object[] sinkStates;

    CarriedTicker(SymbolWindows windows, LongAdder events) {
        this.windows = windows;
        this.events = events;
    }

    /** The state sink {@code i} gave for this ticker, or null. I/O thread. */
    Object sinkState(int i) {
        Object[] states = sinkStates;
        return states != null && i < states.length ? states[i] : null;
    }

    /** Keeps sink {@code i}'s state for this ticker; {@code sinks} is how many sinks there are now. I/O thread. */
    void sinkState(int i, Object state, int sinks) {
        Object[] states = sinkStates;
        if (states == null || i >= states.length) {
            states = states == null ? new Object[sinks] : Arrays.copyOf(states, sinks);
            sinkStates = states;
        }
        states[i] = state;
    }

    SymbolWindows windows() {
        return windows;
    }

    /** Control queue: the ticker became shared (windows) or carried once again (null). */
    void windows(SymbolWindows value) {
        windows = value;
    }

    /**
     * I/O thread, right after publishing this entry: takes the windows the ticker was shared with
     * before the entry existed, unless the control queue has set them since. If the de-duplicator
     * forgot them meanwhile (the control queue then cleared this entry, possibly before the attach),
     * lets go of them again, so a stale window is never kept.
     */
    void attachIfNone(SymbolWindows shared) {
        if (shared != null && WINDOWS.compareAndSet(this, null, shared) && shared.retired()) {
            WINDOWS.compareAndSet(this, shared, null);
        }
    }
}
