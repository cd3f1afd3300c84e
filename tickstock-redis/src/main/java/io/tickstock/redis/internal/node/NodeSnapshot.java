package io.tickstock.redis.internal.node;

import io.tickstock.redis.node.NodeId;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.core.internal.health.EpochSeconds;
import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.health.HealthStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The document a node writes to {@code tickstock:node:<id>:health}: its id, when it was made, the core
 * health snapshot as is ({@code health}) and every slot with what the dashboard shows
 * ({@code connections}). Never a secret: names, counts, times and tickers only. {@link #parse} reads it
 * back, typed, so that writer and reader share one definition of the document.
 */
public final class NodeSnapshot {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private NodeSnapshot() {
    }

    /**
     * A snapshot as read back. Connection ids are as the node wrote them ({@code connection_<n>});
     * {@link #qualifiedConnections} prefixes them with a node id so that slots of different nodes never mix.
     *
     * @param nodeId            the node that wrote it
     * @param generatedAtMillis when the node wrote it, epoch milliseconds (by the node's clock)
     * @param interval          how often the node writes it
     * @param connections       the node's slots, ids as the node wrote them
     * @param health            the node's health snapshot, as written
     */
    public record Read(String nodeId, long generatedAtMillis, Duration interval, List<ConnectionInfo> connections,
                       Map<String, Object> health) {
        /** Copies both collections into immutable ones. */
        public Read {
            connections = List.copyOf(connections);
            health = Map.copyOf(health);
        }

        /** Seconds from when the node wrote it to {@code nowMillis} (epoch ms; never negative, whatever the clocks say). */
        public double ageSeconds(long nowMillis) {
            return Math.max(0, nowMillis - generatedAtMillis) / 1000.0;
        }

        /** Older than twice the node's interval at {@code nowMillis} (epoch ms): the node stopped writing. */
        public boolean stale(long nowMillis) {
            return ageSeconds(nowMillis) * 1000 > 2 * interval.toMillis();
        }

        /** The connections with ids {@code <node>/connection_<n>}. */
        public List<ConnectionInfo> qualifiedConnections(String node) {
            return connections.stream().map(c -> qualify(node, c)).toList();
        }
    }

    /** {@code c} with its id prefixed by {@code node} ({@code <node>/connection_<n>}), as the admin lists it. */
    public static ConnectionInfo qualify(String node, ConnectionInfo c) {
        return new ConnectionInfo(node + "/" + c.id(), c.index(), c.name(), c.enabled(), c.status(), c.tickers(),
                c.messageCount(), c.messagesPerSecond(), c.errorCount(), c.lastMessageTimeMillis(), c.lastError(),
                c.connectedSinceMillis(), c.priority(), c.universeKey(), c.configSource(), c.tickerCount());
    }

    /** Thrown by {@link #parse} for a document that is not JSON or not a node snapshot. */
    public static final class MalformedSnapshotException extends Exception {
        public MalformedSnapshotException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads a document written by {@link #of}. Missing optional fields take the writer's defaults;
     * an unknown status reads as {@code disconnected}.
     *
     * @throws MalformedSnapshotException when {@code json} is not JSON, or has no {@code node_id}
     */
    public static Read parse(String json) throws MalformedSnapshotException {
        JsonNode doc;
        try {
            doc = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedSnapshotException("not JSON", e);
        }
        String node = doc == null ? null : text(doc, "node_id");
        if (node == null || node.isEmpty() || !doc.path("connections").isArray()) {
            throw new MalformedSnapshotException("not a node snapshot (no node_id or connections)", null);
        }
        List<ConnectionInfo> conns = new ArrayList<>();
        for (JsonNode c : doc.path("connections")) {
            conns.add(readConnection(c));
        }
        Map<String, Object> health = doc.path("health").isObject() ? MAPPER.convertValue(doc.path("health"), MAP)
                : Map.of();
        return new Read(node, Math.round(doc.path("generated_at").asDouble(0) * 1000),
                Duration.ofMillis(doc.path("interval_ms").asLong(1000)), conns, health);
    }

    /** One slot as {@link #connection} wrote it. */
    public static ConnectionInfo readConnection(JsonNode c) {
        TreeSet<String> tickers = new TreeSet<>();
        c.path("tickers").forEach(t -> tickers.add(t.asText()));
        ConnectionStatus status;
        try {
            status = ConnectionStatus.valueOf(c.path("status").asText("disconnected").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            status = ConnectionStatus.DISCONNECTED;
        }
        return new ConnectionInfo(c.path("connection_id").asText(), c.path("index").asInt(1),
                c.path("name").asText(""), c.path("enabled").asBoolean(false), status, tickers,
                c.path("message_count").asLong(0), c.path("messages_per_second").asDouble(0),
                c.path("error_count").asLong(0), millis(c, "last_message_time"), text(c, "last_error"),
                millis(c, "connected_since"), c.path("priority").asText("standard"),
                Optional.ofNullable(text(c, "universe_key")), c.path("config_source").asText(""),
                c.path("ticker_count").asInt(tickers.size()));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A field written in epoch seconds, as epoch milliseconds; null when absent. */
    private static Long millis(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : Math.round(v.asDouble() * 1000);
    }

    /** The document a node writes, with no shard figures. */
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
        m.put("last_message_time", EpochSeconds.of(c.lastMessageTimeMillis()));
        m.put("last_error", c.lastError());
        m.put("connected_since", EpochSeconds.of(c.connectedSinceMillis()));
        m.put("priority", c.priority());
        m.put("universe_key", c.universeKey().orElse(null));
        m.put("config_source", c.configSource());
        return m;
    }
}
