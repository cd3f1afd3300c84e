package io.tickstock.core.connection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Auto-rebalancing: moves tickers from the busiest to the quietest connection until the measured
 * rates are within 20 %. Owner: the {@link ControlQueue} (it runs inside the health check), which
 * also owns the counts it remembers between runs.
 */
final class Rebalancer {
    private static final Logger LOG = LoggerFactory.getLogger(MultiConnectionManager.class); // the manager's parts log as the manager, as operators know it

    private final Connections connections;
    private final Placement placement;
    private final Map<String, LongAdder> eventsByTicker;
    private final LongSupplier nanoTime;
    private Map<String, Long> lastSymbolCounts = Map.of();
    private long lastRebalanceNanos;
    private boolean measured;

    Rebalancer(Connections connections, Placement placement, Map<String, LongAdder> eventsByTicker,
               LongSupplier nanoTime) {
        this.connections = connections;
        this.placement = placement;
        this.eventsByTicker = eventsByTicker;
        this.nanoTime = nanoTime;
    }

    void rebalance() {
        if (eventsByTicker == null) {
            return; // counted only when WEBSOCKET_AUTO_REBALANCE is on
        }
        Map<String, Long> counts = new HashMap<>();
        eventsByTicker.forEach((t, n) -> counts.put(t, n.sum()));
        long now = nanoTime.getAsLong();
        double seconds = measured ? (now - lastRebalanceNanos) / 1e9 : 0;
        Map<String, Long> previous = lastSymbolCounts;
        lastSymbolCounts = counts;
        lastRebalanceNanos = now;
        measured = true;
        if (seconds <= 0) {
            return;
        }
        Map<String, Double> symbolRate = new HashMap<>();
        counts.forEach((s, n) -> symbolRate.put(s, (n - previous.getOrDefault(s, 0L)) / seconds));
        List<ManagedConnection> up = connections.named().stream().filter(ManagedConnection::isConnected).toList();
        if (up.size() < 2) {
            return;
        }
        Map<ManagedConnection, Double> load = new HashMap<>();
        Map<ManagedConnection, List<String>> movable = new HashMap<>();
        for (ManagedConnection c : up) {
            List<String> mine = c.tickers.stream()
                    .filter(t -> !placement.isRedundant(t) && placement.connectionsOf(t).size() == 1)
                    .sorted().toList();
            movable.put(c, new ArrayList<>(mine));
            load.put(c, mine.stream().mapToDouble(t -> symbolRate.getOrDefault(t, 0.0)).sum());
        }
        Map<ManagedConnection, List<String>> moves = new LinkedHashMap<>();
        for (int step = 0; step < 100; step++) {
            ManagedConnection busiest = Collections.max(up, (a, b) -> Double.compare(load.get(a), load.get(b)));
            ManagedConnection quietest = Collections.min(up, (a, b) -> Double.compare(load.get(a), load.get(b)));
            double gap = load.get(busiest) - load.get(quietest);
            double mean = load.values().stream().mapToDouble(Double::doubleValue).sum() / up.size();
            if (gap <= 0.2 * mean) {
                break;
            }
            String best = null;
            double bestRate = 0;
            for (String t : movable.get(busiest)) {
                double r = symbolRate.getOrDefault(t, 0.0);
                if (r > 0 && r < gap && Math.abs(gap / 2 - r) < Math.abs(gap / 2 - bestRate)) {
                    best = t;
                    bestRate = r;
                }
            }
            if (best == null) {
                break;
            }
            movable.get(busiest).remove(best);
            load.merge(busiest, -bestRate, Double::sum);
            load.merge(quietest, bestRate, Double::sum);
            moves.computeIfAbsent(quietest, k -> new ArrayList<>()).add(best);
        }
        moves.forEach((to, list) -> {
            LOG.info("rebalance: moving {} to {}", list, to.id);
            placement.move(list, to);
        });
    }
}
