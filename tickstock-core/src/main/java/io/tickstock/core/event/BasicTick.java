package io.tickstock.core.event;

/** A plain tick value, for ticks that do not come straight from the feed decoder. */
public record BasicTick(String symbol, double price, long volume, long timestamp, EventType eventType,
                        String connectionId, String source) implements Tick {
    /** A copy of any tick's normalized fields. */
    public static BasicTick of(Tick t) {
        return new BasicTick(t.symbol(), t.price(), t.volume(), t.timestamp(), t.eventType(),
                t.connectionId(), t.source());
    }
}
