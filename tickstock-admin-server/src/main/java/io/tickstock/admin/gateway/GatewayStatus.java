package io.tickstock.admin.gateway;

import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.StatusListener;
import io.tickstock.core.health.HealthStatus;
import io.tickstock.core.lastvalue.LastValueStore;

import java.util.List;
import java.util.Optional;

/** The read-only side of a gateway: snapshots and status changes, for the page, the APIs and the metrics. */
public interface GatewayStatus {
    /** Every slot up to {@code WEBSOCKET_CONNECTIONS_MAX}, disabled ones included, in slot order. */
    List<ConnectionInfo> connections();

    /** The core health snapshot. */
    HealthStatus health();

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
    default Optional<LastValueStore> lastValues() {
        return Optional.empty();
    }

    /** Whether the data is synthetic (demo mode); shown on the page and in the log. */
    default boolean demo() {
        return false;
    }
}
