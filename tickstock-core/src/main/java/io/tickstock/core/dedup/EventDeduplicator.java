package io.tickstock.core.dedup;

import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivers each event once even when it arrives on two connections (redundant tickers, moves,
 * failover), keyed on event type, symbol and sequence; counts per-symbol sequence gaps on the way.
 *
 * <p>Concurrency: one small lock per (type, symbol); events of one symbol normally come from one
 * I/O thread, so the lock is uncontended except while a symbol is on two connections.
 */
public final class EventDeduplicator {
    private final Map<String, SequenceWindow>[] byType;
    private final LongAdder late = new LongAdder();

    @SuppressWarnings("unchecked")
    public EventDeduplicator() {
        byType = new Map[EventType.values().length];
        for (int i = 0; i < byType.length; i++) {
            byType[i] = new ConcurrentHashMap<>();
        }
    }

    /** True if the event is seen for the first time and should be delivered. */
    public boolean accept(MarketEvent e) {
        long seq = e.sequence();
        if (seq == MarketEvent.NO_SEQUENCE) {
            return true;
        }
        Map<String, SequenceWindow> windows = byType[e.eventType().ordinal()];
        SequenceWindow w = windows.get(e.symbol());
        if (w == null) {
            w = windows.computeIfAbsent(e.symbol(), s -> new SequenceWindow());
        }
        SequenceWindow.Verdict v;
        synchronized (w) {
            v = w.accept(seq, e.hasDenseSequence(), e.receivedAt());
        }
        if (v == SequenceWindow.Verdict.LATE) {
            late.increment();
        }
        return v == SequenceWindow.Verdict.NEW;
    }

    /** Events dropped because they were older than the de-duplication window (counted as duplicates too). */
    public long lateEvents() {
        return late.sum();
    }

    /** Figures over all symbols: total gaps, symbols with at least one gap. */
    public GapSummary gaps() {
        long gaps = 0;
        int symbols = 0;
        for (Map<String, SequenceWindow> windows : byType) {
            for (SequenceWindow w : windows.values()) {
                long g;
                synchronized (w) {
                    g = w.gaps;
                }
                gaps += g;
                if (g > 0) {
                    symbols++;
                }
            }
        }
        return new GapSummary(gaps, symbols);
    }

    /** Gap count of one symbol over all event types. */
    public long gapsOf(String symbol) {
        long gaps = 0;
        for (Map<String, SequenceWindow> windows : byType) {
            SequenceWindow w = windows.get(symbol);
            if (w != null) {
                synchronized (w) {
                    gaps += w.gaps;
                }
            }
        }
        return gaps;
    }

    /** New (delivered) events per symbol over all types; used to balance load by measured rate. */
    public Map<String, Long> eventsBySymbol() {
        Map<String, Long> out = new HashMap<>();
        for (Map<String, SequenceWindow> windows : byType) {
            windows.forEach((sym, w) -> {
                long n;
                synchronized (w) {
                    n = w.events;
                }
                out.merge(sym, n, Long::sum);
            });
        }
        return out;
    }

    public record GapSummary(long gaps, int symbolsWithGaps) {
    }
}
