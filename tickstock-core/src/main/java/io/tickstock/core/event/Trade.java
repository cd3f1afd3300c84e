package io.tickstock.core.event;

/** A trade ({@code T}). {@code conditions} may be empty; {@code tradeId} is a string on the wire. */
public record Trade(String connectionId, String symbol, int exchange, String tradeId, double price, long size,
                    int[] conditions, long timestamp, long sequence, int tape, long receivedAt) implements MarketEvent {
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
