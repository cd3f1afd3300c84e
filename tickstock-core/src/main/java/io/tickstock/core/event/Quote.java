package io.tickstock.core.event;

/** An NBBO quote ({@code Q}). */
public record Quote(String connectionId, String symbol, int bidExchange, double bidPrice, long bidSize,
                    int askExchange, double askPrice, long askSize, long timestamp, long sequence, int tape,
                    long receivedAt) implements MarketEvent {
    /** The mid-quote, or whichever side is non-zero. */
    @Override
    public double price() {
        if (bidPrice > 0 && askPrice > 0) {
            return (bidPrice + askPrice) / 2;
        }
        return bidPrice > 0 ? bidPrice : askPrice;
    }

    @Override
    public long volume() {
        return 0;
    }

    @Override
    public EventType eventType() {
        return EventType.Q;
    }
}
