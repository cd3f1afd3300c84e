package io.tickstock.admin.internal.api;

import io.tickstock.admin.internal.metrics.ThroughputTracker;
import io.tickstock.core.connection.ConnectionInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documented JSON shapes of the status API (docs/admin-guide.md) built from {@link ConnectionInfo} snapshots, shared by the REST API,
 * the page and {@code /admin-ws}. Only names, counts, times and tickers: never a secret.
 */
public final class StatusJson {
    /** Points of throughput history included per connection. */
    public static final int HISTORY_POINTS = 60;

    private StatusJson() {
    }

    /** {@code {"connections":[…],"summary":{…}}} for {@code /api/admin/websocket-status}. */
    public static Map<String, Object> websocketStatus(List<ConnectionInfo> infos, ThroughputTracker rates,
                                                      boolean demo, Instant now) {
        List<Object> conns = new ArrayList<>(infos.size());
        long ticks = 0;
        long errors = 0;
        int connected = 0;
        int enabled = 0;
        for (ConnectionInfo c : infos) {
            conns.add(connection(c, rates, now));
            ticks += c.messageCount();
            errors += c.errorCount();
            connected += c.connected() ? 1 : 0;
            enabled += c.enabled() ? 1 : 0;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total", infos.size());
        summary.put("connected", connected);
        summary.put("ticks_total", ticks);
        summary.put("errors_total", errors);
        summary.put("enabled", enabled);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connections", conns);
        m.put("summary", summary);
        m.put("demo", demo);
        m.put("generated_at", now.toString());
        return m;
    }

    /**
     * {@code [{"node_id":…,"stale":…,"age_seconds":…,"connections":[…]}]}: one entry per gateway node
     * (empty for a local gateway); each connection in the shape of {@link #connection}.
     */
    public static List<Object> nodes(List<io.tickstock.admin.gateway.NodeView> nodes, ThroughputTracker rates,
                                     Instant now) {
        List<Object> out = new ArrayList<>(nodes.size());
        for (var n : nodes) {
            Map<String, Object> m = nodeHead(n);
            m.put("connections", n.connections().stream().map(c -> connection(c, rates, now)).toList());
            out.add(m);
        }
        return out;
    }

    /** The nodes of a {@code metrics_update}: id, staleness and connection ids only. */
    public static List<Object> nodesBrief(List<io.tickstock.admin.gateway.NodeView> nodes) {
        List<Object> out = new ArrayList<>(nodes.size());
        for (var n : nodes) {
            Map<String, Object> m = nodeHead(n);
            m.put("connection_ids", n.connections().stream().map(ConnectionInfo::id).toList());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> nodeHead(io.tickstock.admin.gateway.NodeView n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node_id", n.nodeId());
        m.put("stale", n.stale());
        m.put("age_seconds", Math.round(n.ageSeconds() * 10) / 10.0);
        return m;
    }

    /** One connection slot in the documented status shape. */
    public static Map<String, Object> connection(ConnectionInfo c, ThroughputTracker rates, Instant now) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("universe_key", c.universeKey().orElse(null));
        config.put("symbols", c.tickers().stream().sorted().toList());
        config.put("ticker_count", c.tickerCount());
        config.put("source", c.configSource());

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("messages_per_second", rate(c, rates));
        metrics.put("message_count", c.messageCount());
        metrics.put("last_update", iso(c.lastMessageTimeMillis()));
        metrics.put("error_count", c.errorCount());
        metrics.put("last_error", c.lastError());
        metrics.put("history", rates.history(c.id(), HISTORY_POINTS));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.index());
        m.put("connection_id", c.id());
        m.put("name", c.name());
        m.put("enabled", c.enabled());
        m.put("connected", c.connected());
        m.put("status", c.enabled() ? c.status().wireName() : "disabled");
        m.put("uptime_seconds", uptimeSeconds(c, now));
        m.put("last_heartbeat", iso(lastHeartbeat(c)));
        m.put("priority", c.priority());
        m.put("config", config);
        m.put("metrics", metrics);
        return m;
    }

    /** The per-connection figures of a {@code metrics_update}. */
    public static Map<String, Object> metrics(ConnectionInfo c, ThroughputTracker rates, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connection_id", c.id());
        m.put("id", c.index());
        m.put("status", c.enabled() ? c.status().wireName() : "disabled");
        m.put("msgs_per_sec", rate(c, rates));
        m.put("uptime", uptimeSeconds(c, now));
        m.put("message_count", c.messageCount());
        m.put("error_count", c.errorCount());
        m.put("last_error", c.lastError());
        m.put("last_update", iso(c.lastMessageTimeMillis()));
        m.put("last_heartbeat", iso(lastHeartbeat(c)));
        m.put("ticker_count", c.tickerCount());
        return m;
    }

    /** The data of a {@code connection_status_update} for one slot. */
    public static Map<String, Object> status(ConnectionInfo c, String previous, String message, long atMillis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connection_id", c.id());
        m.put("id", c.index());
        m.put("name", c.name());
        m.put("enabled", c.enabled());
        m.put("status", c.enabled() ? c.status().wireName() : "disabled");
        m.put("previous_status", previous);
        m.put("message", message);
        m.put("timestamp", Instant.ofEpochMilli(atMillis).toString());
        return m;
    }

    static double rate(ConnectionInfo c, ThroughputTracker rates) {
        return rates.rate(c.id(), c.messageCount(), c.messagesPerSecond());
    }

    /** Seconds since the current session started; 0 when not connected. */
    public static long uptimeSeconds(ConnectionInfo c, Instant now) {
        if (!c.connected() || c.connectedSinceMillis() == null) {
            return 0;
        }
        return Math.max(0, Duration.between(Instant.ofEpochMilli(c.connectedSinceMillis()), now).toSeconds());
    }

    /** The last sign of life: the last message, else the start of the current session. */
    static Long lastHeartbeat(ConnectionInfo c) {
        Long last = c.lastMessageTimeMillis();
        Long since = c.connectedSinceMillis();
        if (last == null) {
            return since;
        }
        return since != null && since > last ? since : last;
    }

    /** Epoch milliseconds as an ISO-8601 UTC string (the admin JSON API's format), or null. */
    static String iso(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
