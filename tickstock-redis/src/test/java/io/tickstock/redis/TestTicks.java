package io.tickstock.redis;

import io.tickstock.core.event.Aggregate;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;

import java.util.List;

/** Events for tests. */
public final class TestTicks {
    private TestTicks() {
    }

    public static Trade trade(String symbol, double price, long size, long timestampMs, long seq) {
        return new Trade("connection_1", symbol, 4, "t" + seq, price, size, List.of(), timestampMs, seq, 3,
                timestampMs + 1);
    }

    public static Quote quote(String symbol, double bid, double ask, long timestampMs, long seq) {
        return new Quote("connection_2", symbol, 11, bid, 300, 12, ask, 200, timestampMs, seq, 3, timestampMs);
    }

    public static Aggregate aggregate(String symbol, long startMs) {
        return new Aggregate("connection_3", EventType.A, symbol, 1200, 5_000_000, 170.0, 171.5, 171.0, 172.25,
                172.5, 170.75, 171.2, 50, startMs, startMs + 1000, false, startMs + 1000);
    }
}
