package io.tickstock.redis.internal.node;

import io.tickstock.redis.node.NodeId;

/** The Redis names shared by nodes and the admin server (docs/scaling.md). */
public final class NodeKeys {
    /** Prefix of {@code tickstock:node:<id>:health}. */
    public static final String NODE_PREFIX = "tickstock:node:";
    public static final String HEALTH_SUFFIX = ":health";
    /** Channel of status changes of every node's connections. */
    public static final String STATUS_CHANNEL = "tickstock:node:status";
    /** Prefix of {@code tickstock:lease:<sha-256 of the API key, 16 hex>:<slot>}. */
    public static final String LEASE_PREFIX = "tickstock:lease:";
    /** Prefix of {@code tickstock:nodes:<id>}: membership of the ticker shard, with a TTL. */
    public static final String MEMBER_PREFIX = "tickstock:nodes:";
    /** Sorted set of the ticker shard's members: node id, score = its last heartbeat (epoch ms). */
    public static final String SHARD_MEMBERS = "tickstock:shard:members";
    /** Sorted set of every node writing a health snapshot: node id, score = its last heartbeat (epoch ms). */
    public static final String HEARTBEATS = "tickstock:node:heartbeats";
    /** Prefix of {@code tickstock:shard:ack:<id>}: the membership view a node has fully subscribed. */
    public static final String ACK_PREFIX = "tickstock:shard:ack:";

    private NodeKeys() {
    }

    public static String health(NodeId node) {
        return NODE_PREFIX + node.value() + HEALTH_SUFFIX;
    }

    /** The node id inside a health key, or null when {@code key} is not one. */
    public static String nodeOfHealthKey(String key) {
        if (!key.startsWith(NODE_PREFIX) || !key.endsWith(HEALTH_SUFFIX)) {
            return null;
        }
        String id = key.substring(NODE_PREFIX.length(), key.length() - HEALTH_SUFFIX.length());
        return id.isEmpty() ? null : id;
    }
}
