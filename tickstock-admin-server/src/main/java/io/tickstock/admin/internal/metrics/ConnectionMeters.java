package io.tickstock.admin.internal.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tickstock.core.connection.ConnectionInfo;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The per-connection series ({@code tickstock_connection_*}, labels {@code connection} and {@code name}),
 * kept in step with the gateway's slots at every scrape: a connection or node that appears later gets its
 * series, one that is gone loses them (so the registry holds only the current slots). At most
 * {@link #MAX_CONNECTIONS} connections get series (the nodes in Redis are not ours to bound); the rest are
 * counted in {@code tickstock_connection_series_refused}. Values come from the scrape's snapshot, never from
 * a snapshot of their own. Confined to the scraping thread (the caller serialises {@link #update}).
 */
final class ConnectionMeters {
    static final int MAX_CONNECTIONS = 1_000;

    private final MeterRegistry registry;
    private final ThroughputTracker rates;
    /** The scrape's connections by id; read by the meters' functions. */
    private volatile Map<String, ConnectionInfo> current = Map.of();
    private final Map<Key, List<Meter>> registered = new HashMap<>();
    private volatile int refused;

    ConnectionMeters(MeterRegistry registry, ThroughputTracker rates) {
        this.registry = registry;
        this.rates = rates;
        Gauge.builder("tickstock_connection_series_refused", this, m -> m.refused)
                .description("connections without tickstock_connection_* series at the last scrape (cap reached)")
                .register(registry);
    }

    /** Takes this scrape's connections; registers the series of new ones and removes those of vanished ones. */
    void update(List<ConnectionInfo> connections) {
        Map<String, ConnectionInfo> byId = new LinkedHashMap<>();
        Set<Key> seen = new HashSet<>();
        for (ConnectionInfo c : connections) {
            byId.put(c.id(), c);
            seen.add(new Key(c.id(), c.name()));
        }
        current = byId;
        registered.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
        int over = 0;
        for (Key k : seen) {
            if (registered.containsKey(k)) {
                continue;
            }
            if (registered.size() >= MAX_CONNECTIONS) {
                over++;
            } else {
                registered.put(k, register(k));
            }
        }
        refused = over;
    }

    private List<Meter> register(Key k) {
        return List.of(
                gauge(k, "tickstock_connection_up", "1 when the connection is connected", i -> i.connected() ? 1 : 0),
                gauge(k, "tickstock_connection_messages_per_second", "messages per second over the recent window",
                        i -> rates.rate(i.id(), i.messageCount(), i.messagesPerSecond())),
                gauge(k, "tickstock_connection_tickers", "tickers assigned", ConnectionInfo::tickerCount),
                FunctionCounter.builder("tickstock_connection_messages", this, m -> m.read(k.id, ConnectionInfo::messageCount, 0))
                        .description("events received on the connection").tag("connection", k.id).tag("name", k.name)
                        .register(registry),
                FunctionCounter.builder("tickstock_connection_errors", this, m -> m.read(k.id, ConnectionInfo::errorCount, 0))
                        .description("errors on the connection").tag("connection", k.id).tag("name", k.name)
                        .register(registry));
    }

    private Meter gauge(Key k, String metric, String help, ToDoubleFunction<ConnectionInfo> f) {
        return Gauge.builder(metric, this, m -> m.read(k.id, f, Double.NaN))
                .description(help).tag("connection", k.id).tag("name", k.name).register(registry);
    }

    private double read(String id, ToDoubleFunction<ConnectionInfo> f, double absent) {
        ConnectionInfo c = current.get(id);
        return c == null ? absent : f.applyAsDouble(c);
    }

    /** How many connections have series now. */
    int size() {
        return registered.size();
    }

    private record Key(String id, String name) {
    }
}
