package io.tickstock.redis.node;

import io.tickstock.core.health.EpochSeconds;
import java.math.BigDecimal;
import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.health.HealthStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The document a node writes to {@code tickstock:node:<id>:health}: its id, when it was made, the core
 * health snapshot as is ({@code health}, SPEC §4) and every slot with what the dashboard shows
 * ({@code connections}). Never a secret: names, counts, times and tickers only.
 */
public final class NodeSnapshot {
    private NodeSnapshot() {
    }

    public static Map<String, Object> of(NodeId node, long intervalMillis, HealthStatus health,
                                         List<ConnectionInfo> connections, Instant now) {
        return of(node, intervalMillis, health, connections, Map.of(), now);
    }

    /**
     * @param served with ticker sharding, the tickers each connection really serves (its share), by
     *               connection id; they replace the manager's assignment in {@code tickers}
     */
    public static Map<String, Object> of(NodeId node, long intervalMillis, HealthStatus health,
                                         List<ConnectionInfo> connections, Map<String, Set<String>> served,
                                         Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node_id", node.value());
        m.put("generated_at", EpochSeconds.of(now));
        m.put("interval_ms", intervalMillis);
        List<Object> conns = new ArrayList<>(connections.size());
        for (ConnectionInfo c : connections) {
            Map<String, Object> x = connection(c);
            Set<String> share = served.get(c.id());
            if (share != null) {
                x.put("configured_tickers", x.get("tickers"));
                x.put("tickers", share.stream().sorted().toList());
            }
            conns.add(x);
        }
        m.put("connections", conns);
        m.put("health", health.toMap());
        return m;
    }

    /** One slot; times are epoch seconds (null when unknown). */
    public static Map<String, Object> connection(ConnectionInfo c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connection_id", c.id());
        m.put("index", c.index());
        m.put("name", c.name());
        m.put("enabled", c.enabled());
        m.put("status", c.status().wireName());
        m.put("tickers", c.tickers().stream().sorted().toList());
        m.put("ticker_count", c.tickerCount()); // differs from the list for a whole-market ("*") slot
        m.put("message_count", c.messageCount());
        m.put("messages_per_second", c.messagesPerSecond());
        m.put("error_count", c.errorCount());
        m.put("last_message_time", seconds(c.lastMessageTime()));
        m.put("last_error", c.lastError());
        m.put("connected_since", seconds(c.connectedSince()));
        m.put("priority", c.priority());
        m.put("universe_key", c.universeKey().orElse(null));
        m.put("config_source", c.configSource());
        return m;
    }

    private static BigDecimal seconds(Instant t) {
        return EpochSeconds.of(t);
    }
}
