package io.tickstock.core.health;

import io.tickstock.core.internal.health.EpochSeconds;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A consistent snapshot of the manager: totals are sums of the per-connection figures taken in the
 * same pass, so they always agree.
 *
 * @param totalTicksReceived        events received over all connections, duplicates included
 * @param ticksDelivered            events handed to sinks after de-duplication
 * @param sequence                  what the de-duplication of shared tickers saw
 * @param unsubscribedEventsDropped events for tickers the connection does not carry, dropped
 * @param symbolState               per-symbol state kept and its bound
 * @param components                figures of other parts (tick bus, Redis publisher …) by name
 * @param generatedAtMillis         when the snapshot was taken, epoch milliseconds ({@code generated_at}
 *                                  in the JSON shape, in epoch seconds)
 */
public record HealthStatus(int totalConnections, int connectedCount, long totalTicksReceived, long totalErrors,
                           Map<String, ConnectionHealth> connections, long ticksDelivered, SequenceFigures sequence,
                           long unsubscribedEventsDropped, SymbolStateFigures symbolState, long sinkErrors,
                           Map<String, Map<String, Object>> components, long generatedAtMillis) {

    /** Copies both maps into unmodifiable ones that keep their order. */
    public HealthStatus {
        connections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(connections));
        components = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }

    /**
     * What de-duplication saw on tickers that arrive on more than one connection (redundant, moving,
     * failed over, beside a whole-market slot). Tickers carried by one connection are not tracked:
     * the feed's sequence numbers are increasing but not consecutive, so a jump proves no loss.
     *
     * @param duplicatesDropped events dropped because the same event was already delivered
     * @param lateEventsDropped events dropped because they arrived too far behind the newest to tell
     * @param outOfOrderEvents  events delivered although a later one had arrived first
     * @param sequenceRestarts  new trading sessions recognised (sequence numbers start again)
     */
    public record SequenceFigures(long duplicatesDropped, long lateEventsDropped, long outOfOrderEvents,
                                  long sequenceRestarts) {
        /** All zero: nothing seen. */
        public static final SequenceFigures NONE = new SequenceFigures(0, 0, 0, 0);

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("duplicates_dropped", duplicatesDropped);
            m.put("late_events_dropped", lateEventsDropped);
            m.put("out_of_order_events", outOfOrderEvents);
            m.put("sequence_restarts", sequenceRestarts);
            return m;
        }
    }

    /**
     * Per-symbol state kept from feed input, and its bound.
     *
     * @param tracked  symbols with state now (de-duplication windows and whole-market tickers seen)
     * @param limit    {@code WEBSOCKET_SYMBOL_STATE_LIMIT}
     * @param overflow events of a symbol that found no room (delivered, but not de-duplicated or counted)
     */
    public record SymbolStateFigures(int tracked, int limit, long overflow) {
        /** All zero: no state kept. */
        public static final SymbolStateFigures NONE = new SymbolStateFigures(0, 0, 0);

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tracked", tracked);
            m.put("limit", limit);
            m.put("overflow", overflow);
            return m;
        }
    }

    /** Events dropped as duplicates of an event already delivered. */
    public long duplicatesDropped() {
        return sequence.duplicatesDropped();
    }

    /** The snake_case JSON shape; the first five names are a contract and never change. */
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
        m.putAll(sequence.toMap());
        m.put("unsubscribed_events_dropped", unsubscribedEventsDropped);
        m.put("symbol_state", symbolState.toMap());
        m.put("sink_errors", sinkErrors);
        components.forEach(m::put);
        m.put("generated_at", EpochSeconds.of(generatedAtMillis));
        return m;
    }
}
