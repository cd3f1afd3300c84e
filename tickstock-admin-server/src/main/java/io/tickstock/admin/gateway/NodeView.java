package io.tickstock.admin.gateway;

import io.tickstock.core.connection.ConnectionInfo;

import java.util.List;

/**
 * One gateway node as an admin server with {@code ADMIN_HEALTH_SOURCE=redis} sees it.
 *
 * @param nodeId      {@code TICKSTOCK_NODE_ID} of the node
 * @param stale       its last snapshot is older than twice its health interval (the node may be stuck or dying)
 * @param ageSeconds  age of its last snapshot
 * @param connections its slots; ids are node-qualified: {@code <node id>/connection_<n>}
 */
public record NodeView(String nodeId, boolean stale, double ageSeconds, List<ConnectionInfo> connections) {
    /** Copies {@code connections} into an immutable list. */
    public NodeView {
        connections = List.copyOf(connections);
    }
}
