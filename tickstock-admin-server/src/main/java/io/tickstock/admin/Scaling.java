package io.tickstock.admin;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Secret;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.FeedClientFactory;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.redis.RedisConnector;
import io.tickstock.redis.node.LeasedFeedClientFactory;
import io.tickstock.redis.node.NodeConfig;
import io.tickstock.redis.internal.node.NodeHealthPublisher;
import io.tickstock.redis.internal.node.NodeSnapshot;
import io.tickstock.redis.node.ShardCoordinator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Deque;
import java.util.List;

/**
 * The one place where a gateway becomes a node among several on Redis (docs/scaling.md): its health
 * snapshot and status changes go to Redis, its connections take slot leases of their API key first, and
 * with sharding on it serves only its share of the tickers. Without {@code REDIS_URL} nothing of this runs.
 */
final class Scaling {
    private static final Logger LOG = LoggerFactory.getLogger(Scaling.class);
    /** {@code local} (this process's gateway) or {@code redis} (every node found in Redis). */
    static final String HEALTH_SOURCE = "ADMIN_HEALTH_SOURCE";
    /** How often an admin server with {@code ADMIN_HEALTH_SOURCE=redis} reads the nodes' snapshots. */
    static final String HEALTH_POLL = "ADMIN_HEALTH_POLL_INTERVAL";

    private final NodeConfig config;
    private final RedisConnector connector;
    private final Secret leaseKey;
    private final ShardCoordinator shards;
    private final Clock clock;
    private LeasedFeedClientFactory leases;

    private Scaling(NodeConfig config, RedisConnector connector, Secret leaseKey, ShardCoordinator shards, Clock clock) {
        this.clock = clock;
        this.config = config;
        this.connector = connector;
        this.leaseKey = leaseKey;
        this.shards = shards;
    }

    static boolean healthSourceIsRedis(Settings s) {
        return "redis".equals(s.getChoice(HEALTH_SOURCE, "local", List.of("local", "redis")));
    }

    static Scaling none() {
        return new Scaling(null, null, null, null, Clock.systemUTC());
    }

    /** Reads the node keys (failing on a bad one) and prepares leases and shards as configured. */
    static Scaling configure(Settings s, GatewayConfig gateway, MassiveConfig massive, RedisConnector connector,
                             boolean demo, Clock clock) {
        NodeConfig config = NodeConfig.from(s, gateway.connectionsMax());
        LOG.info("Gateway node '{}' (health every {} ms in Redis)", config.nodeId(), config.healthInterval().toMillis());
        // closed (left make-before-break) in attach(), before the manager stops the feeds
        ShardCoordinator shards = config.sharding() ? ShardCoordinator.start(connector, config, clock) : null;
        // demo mode has a private emulator and a random key: nothing to share with other nodes
        Secret leaseKey = config.slotLeases() && !demo ? massive.apiKey().orElse(null) : null;
        return new Scaling(config, connector, leaseKey, shards, clock);
    }

    /** The feed clients as the manager gets them: sharded (innermost), then leased. */
    FeedClientFactory wrap(FeedClientFactory clients) {
        FeedClientFactory f = clients;
        if (shards != null) {
            f = shards.wrap(f);
        }
        if (leaseKey != null) {
            leases = new LeasedFeedClientFactory(f, connector, config, leaseKey, clock);
            f = leases;
        }
        return f;
    }

    /** Starts the node's health snapshot and adds the figures of leases and shards to the manager's health. */
    void attach(MultiConnectionManager manager, Deque<AutoCloseable> resources) {
        if (config == null) {
            return;
        }
        if (leases != null) {
            manager.addHealthContributor(leases);
            resources.push(leases); // closed after the manager: releases whatever is still held
        }
        if (shards != null) {
            manager.addHealthContributor(shards);
            resources.push(shards);
        }
        long every = config.healthInterval().toMillis();
        NodeHealthPublisher health = NodeHealthPublisher.start(connector, config,
                () -> NodeSnapshot.of(config.nodeId(), every, manager.getHealthStatus(), manager.getConnections(),
                        shards == null ? java.util.Map.of() : shards.served(), clock.instant()), clock);
        manager.addStatusListener(health);
        manager.addHealthContributor(health);
        resources.push(health);
    }
}
