package io.tickstock.core.event;

/** Limit up / limit down bands ({@code LULD}); on the wire the ticker is under {@code T}. */
public record LimitUpDown(String connectionId, String symbol, double highLimit, double lowLimit, int[] indicators,
                          int tape, long timestamp, long sequence, long receivedAt) implements MarketEvent {
    /** The middle of the band: the best single price a band gives. */
    @Override
    public double price() {
        return (highLimit + lowLimit) / 2;
    }

    @Override
    public long volume() {
        return 0;
    }

    @Override
    public EventType eventType() {
        return EventType.LULD;
    }
}
