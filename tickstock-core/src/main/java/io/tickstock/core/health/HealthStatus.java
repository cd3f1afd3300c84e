package io.tickstock.core.health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A consistent snapshot of the manager: totals are sums of the per-connection figures taken in the
 * same pass, so they always agree.
 *
 * @param totalTicksReceived events received over all connections, duplicates included
 * @param ticksDelivered     events handed to sinks after de-duplication
 * @param duplicatesDropped  events dropped as duplicates (redundant subscriptions, moves, failover)
 * @param sequenceGaps       jumps seen in per-symbol sequence numbers
 * @param components         figures of other parts (tick bus, Redis publisher …) by name
 */
public record HealthStatus(int totalConnections, int connectedCount, long totalTicksReceived, long totalErrors,
                           Map<String, ConnectionHealth> connections, long ticksDelivered, long duplicatesDropped,
                           long sequenceGaps, int symbolsWithGaps, long sinkErrors,
                           Map<String, Map<String, Object>> components, double generatedAt) {

    public HealthStatus {
        connections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(connections));
        components = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }

    /** The snake_case JSON shape of SPEC §4; the first five names are a contract and never change. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_connections", totalConnections);
        m.put("connected_count", connectedCount);
        m.put("total_ticks_received", totalTicksReceived);
        m.put("total_errors", totalErrors);
        Map<String, Object> conns = new LinkedHashMap<>();
        connections.forEach((id, c) -> conns.put(id, c.toMap()));
        m.put("connections", conns);
        m.put("ticks_delivered", ticksDelivered);
        m.put("duplicates_dropped", duplicatesDropped);
        m.put("sequence_gaps", sequenceGaps);
        m.put("symbols_with_gaps", symbolsWithGaps);
        m.put("sink_errors", sinkErrors);
        components.forEach(m::put);
        m.put("generated_at", generatedAt);
        return m;
    }
}
