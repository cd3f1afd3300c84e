package io.tickstock.redis.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A plain Lettuce subscriber, independent of the code under test, that keeps every message of a channel. */
public final class ChannelRecorder {
    private ChannelRecorder() {
    }

    /**
     * Subscribes a new pub/sub connection of {@code client} to {@code channel} (returns once subscribed);
     * the messages arrive in channel order in the returned queue. The connection closes with the client.
     */
    public static ConcurrentLinkedQueue<String> record(RedisClient client, String channel) {
        ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                got.add(message);
            }
        });
        sub.sync().subscribe(channel);
        return got;
    }
}
