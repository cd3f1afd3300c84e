package io.tickstock.redis.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.tickstock.redis.RedisConfig;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Owns one Lettuce {@link RedisClusterClient} configured like {@code RedisConnector}: a bounded request
 * queue per node connection, a command timeout, automatic reconnects with a
 * capped backoff, and topology refreshes (periodic and on MOVED/ASK, reconnects) so that a failover or a
 * resharding is followed without a restart. {@code REDIS_URL} names any one node; the rest is discovered.
 */
public final class RedisClusterConnector implements AutoCloseable {
    private final RedisConfig config;
    private final ClientResources resources;
    private final RedisClusterClient client;

    /** A client of the cluster that {@code config}'s URL is a node of; connections open lazily. */
    public RedisClusterConnector(RedisConfig config) {
        this.config = config;
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
                .reconnectDelay(() -> Delay.exponential(Duration.ofMillis(50), config.reconnectMaxDelay(), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = RedisURI.create(config.url().reveal());
        uri.setTimeout(config.commandTimeout());
        this.client = RedisClusterClient.create(resources, uri);
        client.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                // Accept (not reject) while a node connection is down: the cluster client opens its node
                // connections lazily, so rejecting would fail the first commands to every node. The
                // buffer stays bounded by the request queue, and the publisher times out what waits.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .requestQueueSize(config.requestQueueSize())
                .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .enableAllAdaptiveRefreshTriggers()
                        .build())
                .build());
    }

    /** The configuration this connector was made with. */
    public RedisConfig config() {
        return config;
    }

    /** A binary connection routing each command to the node that owns its key (or channel's slot). */
    public StatefulRedisClusterConnection<byte[], byte[]> connectBinary() {
        return client.connect(ByteArrayCodec.INSTANCE);
    }

    /** A binary pub/sub connection; {@code SSUBSCRIBE} goes to the node owning the channel's slot. */
    public StatefulRedisClusterPubSubConnection<byte[], byte[]> connectPubSub() {
        return client.connectPubSub(ByteArrayCodec.INSTANCE);
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
