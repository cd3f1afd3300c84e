package io.tickstock.core.internal.dedup;

import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivers each event of a shared ticker once when it arrives on more than one connection
 * (redundant tickers, make-before-break moves, failover overlap, overlap with a whole-market
 * slot), keyed on event type, symbol, trading session and sequence. Tickers that are not shared
 * pass straight through: a ticker carried by one connection is never dropped here.
 *
 * <p>State is kept only for shared tickers: {@link #share} and {@link #unshare} follow the
 * manager's placement; while {@link #shareAll} is on (two connections carry the whole market) a
 * symbol gets its state on its first event. The number of symbols with state never exceeds the
 * limit; events of a symbol that finds no room are delivered unchecked and counted as overflow.
 *
 * <p>The event path holds a symbol's {@link SymbolWindows} (from {@link #shareWindows}) next to its
 * other per-ticker state and calls {@link #accept(SymbolWindows, MarketEvent)}, so a shared ticker
 * costs no lookup here; {@link #accept(MarketEvent)} looks the symbol up.
 *
 * <p>Concurrency: the map is concurrent; each symbol's windows are guarded by that symbol's own
 * lock, taken only for shared symbols and uncontended except while the symbol really arrives on two
 * connections on two threads.
 */
public final class EventDeduplicator {
    private static final int TYPES = EventType.values().length;

    private final ConcurrentHashMap<String, SymbolWindows> bySymbol = new ConcurrentHashMap<>();
    private final int limit;
    private volatile boolean shareAll;
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder outOfOrder = new LongAdder();
    private final LongAdder restarts = new LongAdder();
    private final LongAdder overflow = new LongAdder();

    /** @param limit most symbols with de-duplication state at once */
    public EventDeduplicator(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /** The figures of a health snapshot. */
    public record Figures(long duplicatesDropped, long lateEventsDropped, long outOfOrderEvents,
                          long sequenceRestarts, int trackedSymbols, int limit, long overflow) {
    }

    /**
     * From now on, events of {@code symbol} are de-duplicated.
     *
     * @return false when the limit is reached (counted as overflow; its events pass unchecked)
     */
    public boolean share(String symbol) {
        return shareWindows(symbol) != null;
    }

    /**
     * As {@link #share}, returning the symbol's windows for {@link #accept(SymbolWindows, MarketEvent)}.
     *
     * @return null when the limit is reached (counted as overflow; its events pass unchecked)
     */
    public SymbolWindows shareWindows(String symbol) {
        SymbolWindows s = bySymbol.get(symbol);
        if (s == null) {
            s = create(symbol, true);
            if (s == null) {
                return null;
            }
        }
        s.pinned = true;
        return s;
    }

    /**
     * The windows of {@code symbol} while it is shared by name ({@link #shareWindows}), else null;
     * windows made only because the whole market is shared are not handed out, as they are
     * forgotten without notice when that sharing ends.
     */
    public SymbolWindows windowsOf(String symbol) {
        SymbolWindows s = bySymbol.get(symbol);
        return s != null && s.pinned ? s : null;
    }

    /** Forgets the state of {@code symbol}: it is carried by one connection again, or not at all. */
    public void unshare(String symbol) {
        SymbolWindows s = bySymbol.get(symbol);
        if (s != null) {
            s.retired = true; // before the removal: a holder that re-checks after attaching lets go of it
            bySymbol.remove(symbol, s);
        }
    }

    /**
     * Whether every symbol is shared (two connections carry the whole market). Turning it off
     * forgets every symbol that was not shared by name.
     */
    public void shareAll(boolean on) {
        shareAll = on;
        if (!on) {
            removeUnpinned();
        }
    }

    /** Whether every symbol is shared now ({@link #shareAll}). */
    public boolean sharingAll() {
        return shareAll;
    }

    private void removeUnpinned() {
        bySymbol.values().removeIf(s -> {
            if (s.pinned) {
                return false;
            }
            s.retired = true;
            return true;
        });
    }

    /**
     * Forgets symbols that were shared only for the whole market once that sharing is off: an event
     * that raced {@link #shareAll}{@code (false)} may have left one behind.
     */
    public void sweep() {
        if (!shareAll) {
            removeUnpinned();
        }
    }

    /** True if the event should be delivered: not shared, or seen for the first time. */
    public boolean accept(MarketEvent e) {
        SymbolWindows s = windowsFor(e);
        return s == null || check(s, e, e.sequence());
    }

    /**
     * The windows {@link #accept(MarketEvent)} checks the event against (made now for a symbol's first
     * event while the whole market is shared), or null when it passes unchecked.
     */
    public SymbolWindows windowsFor(MarketEvent e) {
        if (e.sequence() == MarketEvent.NO_SEQUENCE) {
            return null;
        }
        SymbolWindows s = bySymbol.get(e.symbol());
        return s != null || !shareAll ? s : create(e.symbol(), false);
    }

    /**
     * True if the event should be delivered: seen for the first time in {@code windows}, which the
     * caller holds for the event's symbol (from {@link #shareWindows} or {@link #windowsOf}). No lookup.
     */
    public boolean accept(SymbolWindows windows, MarketEvent e) {
        long seq = e.sequence();
        return seq == MarketEvent.NO_SEQUENCE || check(windows, e, seq);
    }

    private boolean check(SymbolWindows s, MarketEvent e, long seq) {
        SequenceWindow.Verdict v;
        boolean restarted;
        synchronized (s) {
            SessionSequences w = s.byType[e.eventType().ordinal()];
            if (w == null) {
                w = new SessionSequences();
                s.byType[e.eventType().ordinal()] = w;
            }
            v = w.accept(seq, e.timestamp());
            restarted = w.restarted;
        }
        if (restarted) {
            restarts.increment();
        }
        switch (v) {
            case NEW:
                return true;
            case OUT_OF_ORDER:
                outOfOrder.increment();
                return true;
            case DUPLICATE:
                duplicates.increment();
                return false;
            default:
                late.increment();
                return false;
        }
    }

    /** Whether {@code symbol} has de-duplication state now. */
    public boolean isShared(String symbol) {
        return bySymbol.containsKey(symbol);
    }

    public Figures figures() {
        return new Figures(duplicates.sum(), late.sum(), outOfOrder.sum(), restarts.sum(), bySymbol.size(), limit,
                overflow.sum());
    }

    private SymbolWindows create(String symbol, boolean pinned) {
        if (bySymbol.mappingCount() >= limit) {
            overflow.increment();
            return null;
        }
        // a race between two creators may pass the limit by a few entries: a bound, not an exact cap
        return bySymbol.computeIfAbsent(symbol, k -> new SymbolWindows(pinned));
    }

    /**
     * The de-duplication state of one shared symbol: its sequence windows, one per event type, made
     * on first use. Callers hand it back to {@link #accept(SymbolWindows, MarketEvent)}; its monitor is
     * the symbol's lock, which the manager also holds while it delivers the symbol's accepted event.
     */
    public static final class SymbolWindows {
        final SessionSequences[] byType = new SessionSequences[TYPES];
        /** Shared by name (not only because the whole market is shared). */
        volatile boolean pinned;
        /** Forgotten by the de-duplicator: a holder should let go of it. */
        volatile boolean retired;

        SymbolWindows(boolean pinned) {
            this.pinned = pinned;
        }

        /** Whether the de-duplicator has forgotten this symbol since these windows were handed out. */
        public boolean retired() {
            return retired;
        }
    }
}
