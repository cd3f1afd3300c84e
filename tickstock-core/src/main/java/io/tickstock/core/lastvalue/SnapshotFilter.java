package io.tickstock.core.lastvalue;

import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consumer's side of the hand-over from a last-value snapshot to the live stream: remembers, per
 * symbol and event type, the point the snapshot is valid at, and admits a live tick only when it comes
 * {@link TickOrder#isAfter after} that point. Ticks of a (symbol, type) absent from the snapshot are
 * all admitted. Once a (symbol, type) has admitted a tick, its point is forgotten (later ticks are newer
 * still), so the filter shrinks back to nothing as the stream moves on. Thread-safe.
 */
public final class SnapshotFilter {
    private record Point(long timestamp, long sequence) {
    }

    private final ConcurrentHashMap<String, Point> points = new ConcurrentHashMap<>();

    /** A filter for the trades and quotes of a {@link LastValueStore} snapshot. */
    public static SnapshotFilter of(Collection<LastValue> snapshot) {
        SnapshotFilter f = new SnapshotFilter();
        for (LastValue v : snapshot) {
            if (v.trade() != null) {
                f.add(v.symbol(), EventType.T, v.trade().timestamp(), v.trade().sequence());
            }
            if (v.quote() != null) {
                f.add(v.symbol(), EventType.Q, v.quote().timestamp(), v.quote().sequence());
            }
        }
        return f;
    }

    /** Records the point the snapshot holds for this symbol and type. */
    public SnapshotFilter add(String symbol, EventType type, long timestamp, long sequence) {
        points.put(key(symbol, type), new Point(timestamp, sequence));
        return this;
    }

    /** True when the live event is newer than the snapshot's value for its symbol and type. */
    public boolean admit(MarketEvent e) {
        return admit(e.symbol(), e.eventType(), e.timestamp(), e.sequence());
    }

    /** True when a live tick at ({@code timestamp}, {@code sequence}) is newer than the snapshot's value. */
    public boolean admit(String symbol, EventType type, long timestamp, long sequence) {
        if (points.isEmpty()) {
            return true;
        }
        String key = key(symbol, type);
        Point p = points.get(key);
        if (p == null) {
            return true;
        }
        if (!TickOrder.isAfter(timestamp, sequence, p.timestamp(), p.sequence())) {
            return false;
        }
        points.remove(key, p);
        return true;
    }

    /** (symbol, type) pairs still waiting for their first tick after the snapshot. */
    public int pending() {
        return points.size();
    }

    private static String key(String symbol, EventType type) {
        return type.code() + '.' + symbol;
    }
}
