package io.tickstock.core.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which connection(s) carry each ticker: one normally, two when redundant, during a move or during
 * failover. The first is the primary. Reads are lock-free (one map lookup); writers are serialized
 * by the manager.
 */
public final class TickerAssignment {
    private final Map<String, List<String>> byTicker = new ConcurrentHashMap<>();

    /** The primary connection of a ticker, if it is assigned. */
    public Optional<String> primaryOf(String ticker) {
        List<String> ids = byTicker.get(ticker);
        return ids == null ? Optional.empty() : Optional.of(ids.get(0));
    }

    /** Every connection carrying the ticker, primary first; empty if unassigned. */
    public List<String> connectionsOf(String ticker) {
        return byTicker.getOrDefault(ticker, List.of());
    }

    /** Whether the ticker is on any connection. */
    public boolean contains(String ticker) {
        return byTicker.containsKey(ticker);
    }

    /** Adds a connection for the ticker; the first one added becomes the primary. */
    public void add(String ticker, String connectionId) {
        byTicker.compute(ticker, (t, ids) -> {
            if (ids == null) {
                return List.of(connectionId);
            }
            if (ids.contains(connectionId)) {
                return ids;
            }
            List<String> more = new ArrayList<>(ids);
            more.add(connectionId);
            return List.copyOf(more);
        });
    }

    /** Makes {@code connectionId} the primary (adding it if needed). */
    public void makePrimary(String ticker, String connectionId) {
        byTicker.compute(ticker, (t, ids) -> {
            List<String> more = new ArrayList<>();
            more.add(connectionId);
            if (ids != null) {
                ids.stream().filter(id -> !id.equals(connectionId)).forEach(more::add);
            }
            return List.copyOf(more);
        });
    }

    /** Removes one connection from the ticker; the ticker is unassigned when none is left. */
    public void remove(String ticker, String connectionId) {
        byTicker.computeIfPresent(ticker, (t, ids) -> {
            List<String> rest = ids.stream().filter(id -> !id.equals(connectionId)).toList();
            return rest.isEmpty() ? null : rest;
        });
    }

    /** Removes the ticker from every connection. */
    public void removeTicker(String ticker) {
        byTicker.remove(ticker);
    }

    /** Tickers whose list includes the connection (primary or not), sorted. */
    public Set<String> tickersOn(String connectionId) {
        Set<String> out = new TreeSet<>();
        byTicker.forEach((t, ids) -> {
            if (ids.contains(connectionId)) {
                out.add(t);
            }
        });
        return Collections.unmodifiableSet(out);
    }

    /** The number of tickers assigned. */
    public int size() {
        return byTicker.size();
    }
}
