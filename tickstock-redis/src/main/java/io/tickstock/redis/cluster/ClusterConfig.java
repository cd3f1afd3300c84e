package io.tickstock.redis.cluster;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Settings;

/**
 * {@code REDIS_CLUSTER}: {@code REDIS_URL} names one node of a Redis Cluster and ticks are published
 * through Lettuce's cluster client; {@code REDIS_SHARDED_PUBSUB}: with a cluster, ticks go out with
 * {@code SPUBLISH} (Redis 7+), so each message travels only inside the shard that owns the channel
 * instead of being broadcast over the whole cluster bus.
 */
public record ClusterConfig(boolean cluster, boolean shardedPubSub) {
    /** {@code REDIS_CLUSTER}: {@code REDIS_URL} is a seed node of a Redis Cluster. Default: {@code false}. */
    public static final String CLUSTER = "REDIS_CLUSTER";
    /**
     * {@code REDIS_SHARDED_PUBSUB}: With {@code REDIS_CLUSTER}: {@code SPUBLISH}/{@code SSUBSCRIBE} instead
     * of {@code PUBLISH}/{@code SUBSCRIBE} (Redis 7+). Default: {@code false}.
     */
    public static final String SHARDED_PUBSUB = "REDIS_SHARDED_PUBSUB";

    /** Reads {@link #CLUSTER} and {@link #SHARDED_PUBSUB}. */
    public static ClusterConfig from(Settings s) {
        boolean cluster = s.getBoolean(CLUSTER, false);
        boolean sharded = s.getBoolean(SHARDED_PUBSUB, false);
        if (sharded && !cluster) {
            throw new ConfigException(SHARDED_PUBSUB, s.get(SHARDED_PUBSUB, "true"),
                    "false unless REDIS_CLUSTER=true (sharded pub/sub is the cluster publisher's option)");
        }
        return new ClusterConfig(cluster, sharded);
    }
}
