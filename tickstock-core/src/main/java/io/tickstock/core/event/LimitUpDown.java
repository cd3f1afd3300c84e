package io.tickstock.core.event;

import java.util.List;

/**
 * Limit up / limit down bands ({@code LULD}); on the wire the ticker is under {@code T}.
 * {@code indicators} is immutable, possibly empty, and compares by value; times are epoch milliseconds.
 */
public record LimitUpDown(String connectionId, String symbol, double highLimit, double lowLimit,
                          List<Integer> indicators, int tape, long timestamp, long sequence, long receivedAt)
        implements MarketEvent {
    /** Copies {@code indicators} into an immutable list ({@code null} reads as none); an immutable list is kept as is. */
    public LimitUpDown {
        indicators = indicators == null ? List.of() : List.copyOf(indicators);
    }

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
