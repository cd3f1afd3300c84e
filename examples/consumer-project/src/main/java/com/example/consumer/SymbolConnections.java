package com.example.consumer;

import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.MarketEvent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** This application's own code: remembers which connection each symbol's last tick came on. */
public final class SymbolConnections implements TickSink<MarketEvent> {
    private final Map<String, String> connectionOf = new ConcurrentHashMap<>();

    @Override
    public void accept(MarketEvent event) {
        connectionOf.put(event.symbol(), event.connectionId());
    }

    /** A copy: symbol → connection id. */
    public Map<String, String> snapshot() {
        return Map.copyOf(connectionOf);
    }
}
