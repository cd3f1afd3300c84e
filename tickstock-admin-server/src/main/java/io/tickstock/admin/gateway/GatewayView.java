package io.tickstock.admin.gateway;

import java.util.Optional;

/**
 * What the admin server is given: the gateway's status, its ticks, and, when the gateway runs in this
 * process, its control. The routes and the dashboard each take the part they need. The running server
 * adapts {@code MultiConnectionManager} or the nodes in Redis; tests use a fake.
 */
public interface GatewayView extends GatewayStatus, TickEvents {
    /** The connection actions, when this view offers them; empty for a view of other processes. */
    default Optional<GatewayControl> control() {
        return Optional.empty();
    }
}
