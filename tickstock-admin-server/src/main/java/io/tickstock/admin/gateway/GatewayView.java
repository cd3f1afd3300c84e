package io.tickstock.admin.gateway;

import io.tickstock.core.bus.TickSink;
import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.StatusListener;
import io.tickstock.core.health.HealthStatus;

import java.util.List;

/**
 * What the admin server needs from the gateway: snapshots, the reconnect action, and live events.
 * The running server adapts {@code MultiConnectionManager}; tests use a fake.
 */
public interface GatewayView {
    /** Every slot up to {@code WEBSOCKET_CONNECTIONS_MAX}, disabled ones included, in slot order. */
    List<ConnectionInfo> connections();

    /** The core health snapshot (SPEC §4). */
    HealthStatus health();

    /**
     * Drops and reopens one connection.
     *
     * @throws java.util.NoSuchElementException when no enabled connection has this id
     */
    void reconnect(String connectionId);

    /** Registers a sink for every delivered event; called on feed I/O threads, must not block. */
    void addTickSink(TickSink sink);

    /**
     * Registers a listener for every tick shown on the dashboard; must not block. By default the same as
     * {@link #addTickSink}; views whose ticks are not feed events (from Redis) override it.
     */
    default void addTickListener(io.tickstock.core.bus.TickListener listener) {
        addTickSink(listener::onTick);
    }

    /**
     * The gateway nodes behind this view, each with its slots, when the view aggregates several processes
     * ({@code ADMIN_HEALTH_SOURCE=redis}); empty for the local gateway.
     */
    default List<NodeView> nodes() {
        return List.of();
    }

    /** Registers a listener for every status transition; must not block. */
    void addStatusListener(StatusListener listener);

    /** The latest trade and quote per ticker, when this process runs the feed; empty otherwise. */
    default java.util.Optional<io.tickstock.core.lastvalue.LastValueStore> lastValues() {
        return java.util.Optional.empty();
    }

    /** Whether the data is synthetic (demo mode); shown on the page and in the log. */
    default boolean demo() {
        return false;
    }
}
