package io.tickstock.redis.node;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Settings;

import java.time.Duration;
import java.util.List;

/**
 * The multi-node keys (docs/scaling.md). Read only when {@code REDIS_URL} is set: without Redis there
 * is nothing to share and every process is a node of its own.
 *
 * @param nodeId          {@code TICKSTOCK_NODE_ID}
 * @param healthInterval  {@code TICKSTOCK_NODE_HEALTH_INTERVAL}: how often the health snapshot is written
 * @param healthTtl       {@code TICKSTOCK_NODE_HEALTH_TTL}: how long a snapshot lives when not rewritten
 * @param slotLeases      {@code TICKSTOCK_SLOT_LEASES}: connections take a Redis lease per API key slot first
 * @param leaseTtl        {@code TICKSTOCK_LEASE_TTL}: a lease not renewed for this long is free again
 * @param leaseSlots      {@code TICKSTOCK_LEASE_SLOTS}: leases per API key (the plan's connection limit)
 * @param dropWhenRedisDown {@code TICKSTOCK_LEASE_REDIS_DOWN=drop}: close a connection whose lease cannot be
 *                        renewed because Redis is unreachable (default {@code keep}: ride the outage out)
 * @param sharding        {@code TICKSTOCK_SHARDING}: tickers are split among the live nodes
 * @param shardOverlap    {@code TICKSTOCK_SHARD_OVERLAP}: longest make-before-break overlap when tickers move
 */
public record NodeConfig(NodeId nodeId, Duration healthInterval, Duration healthTtl, boolean slotLeases,
                         Duration leaseTtl, int leaseSlots, boolean dropWhenRedisDown, boolean sharding,
                         Duration shardOverlap) {
    /**
     * {@code TICKSTOCK_NODE_HEALTH_INTERVAL}: How often the node's health snapshot is written to Redis.
     * Default: {@code 1s}.
     */
    public static final String HEALTH_INTERVAL = "TICKSTOCK_NODE_HEALTH_INTERVAL";
    /**
     * {@code TICKSTOCK_NODE_HEALTH_TTL}: Its TTL (at least 2 × the interval); also the shard membership TTL.
     * Default: {@code 5s}.
     */
    public static final String HEALTH_TTL = "TICKSTOCK_NODE_HEALTH_TTL";
    /**
     * {@code TICKSTOCK_SLOT_LEASES}: With {@code REDIS_URL} (not in demo mode): each connection holds a lease
     * per API key first, so no two nodes exceed the plan. Default: {@code true}.
     */
    public static final String SLOT_LEASES = "TICKSTOCK_SLOT_LEASES";
    /**
     * {@code TICKSTOCK_LEASE_TTL}: Lease TTL (at least 300ms); a crashed node's slots are taken over after
     * about this long. Default: {@code 5s}.
     */
    public static final String LEASE_TTL = "TICKSTOCK_LEASE_TTL";
    /**
     * {@code TICKSTOCK_LEASE_SLOTS}: Leases per API key: the plan's connection limit (1–64). Default: {@code
     * WEBSOCKET_CONNECTIONS_MAX}.
     */
    public static final String LEASE_SLOTS = "TICKSTOCK_LEASE_SLOTS";
    /**
     * {@code TICKSTOCK_LEASE_REDIS_DOWN}: {@code keep}: connections ride out a Redis outage; {@code drop}:
     * close those that cannot renew for 5/6 of the TTL. Default: {@code keep}.
     */
    public static final String LEASE_REDIS_DOWN = "TICKSTOCK_LEASE_REDIS_DOWN";
    /**
     * {@code TICKSTOCK_SHARDING}: {@code true}: this node serves only its share of the tickers (a boolean
     * like every other; {@code on}/{@code off} still work). Default: {@code false}.
     */
    public static final String SHARDING = "TICKSTOCK_SHARDING";
    /**
     * {@code TICKSTOCK_SHARD_OVERLAP}: Longest make-before-break overlap of a ticker moving between nodes.
     * Default: {@code 3s}.
     */
    public static final String SHARD_OVERLAP = "TICKSTOCK_SHARD_OVERLAP";

    /**
     * @param defaultSlots the default of {@code TICKSTOCK_LEASE_SLOTS}: {@code WEBSOCKET_CONNECTIONS_MAX}
     */
    public static NodeConfig from(Settings s, int defaultSlots) {
        Duration interval = s.getPositiveDuration(HEALTH_INTERVAL, Duration.ofSeconds(1));
        Duration ttl = s.getPositiveDuration(HEALTH_TTL, Duration.ofSeconds(5));
        if (ttl.compareTo(interval.multipliedBy(2)) < 0) {
            throw new ConfigException(HEALTH_TTL, s.get(HEALTH_TTL, ttl.toMillis() + "ms"),
                    "at least twice " + HEALTH_INTERVAL + " (" + interval.toMillis() + " ms)");
        }
        Duration leaseTtl = s.getPositiveDuration(LEASE_TTL, Duration.ofSeconds(5));
        if (leaseTtl.toMillis() < 300) {
            throw new ConfigException(LEASE_TTL, s.get(LEASE_TTL, ""), "a duration of at least 300ms");
        }
        // a boolean like every other (true/false; on/off, yes/no and 1/0 are accepted by all of them)
        boolean sharding = s.getBoolean(SHARDING, false);
        return new NodeConfig(NodeId.from(s), interval, ttl, s.getBoolean(SLOT_LEASES, true), leaseTtl,
                s.getInt(LEASE_SLOTS, defaultSlots, 1, 64),
                "drop".equals(s.getChoice(LEASE_REDIS_DOWN, "keep", List.of("keep", "drop"))), sharding,
                s.getPositiveDuration(SHARD_OVERLAP, Duration.ofSeconds(3)));
    }
}
