package io.tickstock.core.event;

import java.util.List;

/**
 * A trade ({@code T}). {@code conditions} (the condition codes, immutable, possibly empty) compares by
 * value; {@code tradeId} is a string on the wire; {@code timestamp} is the exchange time and
 * {@code receivedAt} the local receive time, both epoch milliseconds.
 */
public record Trade(String connectionId, String symbol, int exchange, String tradeId, double price, long size,
                    List<Integer> conditions, long timestamp, long sequence, int tape, long receivedAt)
        implements MarketEvent {
    /** Copies {@code conditions} into an immutable list ({@code null} reads as none); an immutable list is kept as is. */
    public Trade {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    @Override
    public double price() {
        return price;
    }

    @Override
    public long volume() {
        return size;
    }

    @Override
    public EventType eventType() {
        return EventType.T;
    }
}
