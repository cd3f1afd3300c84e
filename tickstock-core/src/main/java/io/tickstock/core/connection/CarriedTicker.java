package io.tickstock.core.connection;

import io.tickstock.core.internal.dedup.EventDeduplicator.SymbolWindows;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the event path needs of one ticker a connection carries, found with the connection's one map
 * lookup per event: the ticker's de-duplication windows while two connections can carry it, and its
 * delivered-events counter for auto-rebalance.
 *
 * <p>Owner: the manager's control queue sets {@link #windows} (placement and sharing changes); the
 * connection's I/O thread only reads it, except {@link #attachIfNone} for a ticker a whole-market
 * slot sees for the first time, which races the control queue safely by compare-and-set.
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

    CarriedTicker(SymbolWindows windows, LongAdder events) {
        this.windows = windows;
        this.events = events;
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
