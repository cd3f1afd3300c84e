package io.tickstock.examples;

import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.MarketEvent;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stand-in for "your own code" that consumes ticks: the last price per symbol. It is what
 * {@code EmulatorFixtureExampleTest} tests against the Massive emulator. Safe to call from the feed's
 * I/O threads: one map write per tick, no blocking.
 */
public final class LastPriceBoard implements TickSink<MarketEvent> {
    private final Map<String, Double> last = new ConcurrentHashMap<>();
    private final LongAdder updates = new LongAdder();

    @Override
    public void accept(MarketEvent event) {
        last.put(event.symbol(), event.price());
        updates.increment();
    }

    public Optional<Double> lastPrice(String symbol) {
        return Optional.ofNullable(last.get(symbol));
    }

    /** Symbols seen so far. */
    public java.util.Set<String> symbols() {
        return java.util.Set.copyOf(last.keySet());
    }

    /** Ticks received so far. */
    public long updates() {
        return updates.sum();
    }
}
