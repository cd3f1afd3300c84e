package io.tickstock.admin.internal.health;

import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.health.HealthStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether this process is ready for work, from one health snapshot: the feed is connected or idle on
 * purpose, and Redis, when configured, is connected and answering. Liveness is simpler: the process
 * answers HTTP at all.
 *
 * <p>Idle on purpose means: no enabled connection has a ticker to carry, or every connection that is
 * not connected waits for a connection slot lease another node holds (a standby node), or this process
 * runs no feed (an admin server showing nodes from Redis).
 */
public final class Readiness {
    /** The component an admin server showing nodes from Redis ({@code ADMIN_HEALTH_SOURCE=redis}) has. */
    private static final String NODES_VIEW = "admin_nodes_view";

    private Readiness() {
    }

    /**
     * The verdict: {@code ready}, one check per part ({@code feed}, and {@code redis} when configured),
     * and a short reason naming what is not ready. Holds no error text from the feed or Redis, as the
     * endpoint needs no login.
     */
    public record Verdict(boolean ready, Map<String, String> checks, String reason) {
        /** The JSON body: {@code {"status":"UP"|"DOWN","checks":{…},"reason":…}}. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", ready ? "UP" : "DOWN");
            m.put("checks", checks);
            if (!ready) {
                m.put("reason", reason);
            }
            return m;
        }
    }

    /** Judges one snapshot; {@code connections} are the slots of the same gateway. */
    public static Verdict of(HealthStatus health, List<ConnectionInfo> connections) {
        Map<String, String> checks = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        String feed = feed(health, connections);
        checks.put("feed", feed == null ? "UP" : "DOWN");
        if (feed != null) {
            reasons.add(feed);
        }
        Map<String, Object> redis = health.components().get("redis_publisher");
        if (redis == null && health.components().get(NODES_VIEW) != null
                && health.components().get(NODES_VIEW).get("ticks") instanceof Map<?, ?> subscriber) {
            redis = new java.util.HashMap<>();
            redis.put("redis_connected", subscriber.get("redis_connected")); // what this process reads Redis with
        }
        if (redis != null) {
            String r = redis(redis);
            checks.put("redis", r == null ? "UP" : "DOWN");
            if (r != null) {
                reasons.add(r);
            }
        }
        return new Verdict(reasons.isEmpty(), checks, reasons.isEmpty() ? null : String.join("; ", reasons));
    }

    private static String feed(HealthStatus health, List<ConnectionInfo> connections) {
        if (health.components().containsKey(NODES_VIEW)) {
            return null; // an admin server showing nodes from Redis runs no feed of its own
        }
        List<ConnectionInfo> carrying = connections.stream()
                .filter(c -> c.enabled() && !c.tickers().isEmpty()).toList();
        if (carrying.isEmpty() || health.connectedCount() > 0) {
            return null; // nothing to carry (or no feed in this process), or data is flowing
        }
        Map<String, Object> slotLeases = health.components().getOrDefault("slot_leases", Map.of());
        Map<?, ?> leases = slotLeases.get("connections") instanceof Map<?, ?> c ? c : Map.of();
        List<String> down = new ArrayList<>();
        for (ConnectionInfo c : carrying) {
            boolean standby = leases.get(c.id()) instanceof Map<?, ?> lease && Boolean.TRUE.equals(lease.get("waiting"));
            if (!standby) {
                down.add(c.id() + " " + c.status().wireName());
            }
        }
        return down.isEmpty() ? null : "feed: no connection is connected (" + String.join(", ", down) + ")";
    }

    private static String redis(Map<?, ?> publisher) {
        if (!Boolean.TRUE.equals(publisher.get("redis_connected"))) {
            return "redis: not connected";
        }
        if (Boolean.TRUE.equals(publisher.get("stalled"))) {
            return "redis: no reply for " + publisher.get("stalled_seconds") + " s";
        }
        return null;
    }
}
