package io.tickstock.core.event;

/** A per-second ({@code A}) or per-minute ({@code AM}) aggregate bar. */
public record Aggregate(String connectionId, EventType eventType, String symbol, long volume, long dayVolume,
                        double officialOpen, double vwap, double open, double close, double high, double low,
                        double dayVwap, long averageTradeSize, long startTime, long endTime, boolean otc,
                        long receivedAt) implements MarketEvent {
    /** @throws IllegalArgumentException unless {@code eventType} is {@code A} or {@code AM} */
    public Aggregate {
        if (eventType != EventType.A && eventType != EventType.AM) {
            throw new IllegalArgumentException("aggregate type must be A or AM: " + eventType);
        }
    }

    @Override
    public double price() {
        return close;
    }

    @Override
    public long timestamp() {
        return startTime;
    }

    @Override
    public long sequence() {
        return startTime / (eventType == EventType.A ? 1_000L : 60_000L);
    }

    @Override
    public boolean hasDenseSequence() {
        return false; // a bar is only emitted when trades happened in its window
    }
}
