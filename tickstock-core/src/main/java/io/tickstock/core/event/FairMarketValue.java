package io.tickstock.core.event;

/** Fair market value ({@code FMV}, business feeds). */
public record FairMarketValue(String connectionId, String symbol, double fmv, long timestamp, long receivedAt)
        implements MarketEvent {
    @Override
    public double price() {
        return fmv;
    }

    @Override
    public long volume() {
        return 0;
    }

    @Override
    public long sequence() {
        return timestamp;
    }

    @Override
    public boolean hasDenseSequence() {
        return false;
    }

    @Override
    public EventType eventType() {
        return EventType.FMV;
    }
}
