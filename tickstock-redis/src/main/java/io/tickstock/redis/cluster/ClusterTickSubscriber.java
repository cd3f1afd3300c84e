package io.tickstock.redis.cluster;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.tickstock.core.bus.TickListener;
import io.tickstock.core.health.HealthContributor;
import io.tickstock.redis.PublishedTick;
import io.tickstock.redis.TickJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives the ticks of a Redis Cluster's tick channel ({@code SSUBSCRIBE} with sharded pub/sub, else
 * {@code SUBSCRIBE}) and hands each to a {@link TickListener} on a Lettuce I/O thread, in channel order.
 */
public final class ClusterTickSubscriber implements HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTickSubscriber.class);

    private final RedisClusterConnector connector;
    private final boolean sharded;
    private final byte[] channel;
    private final TickListener listener;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final Thread connectThread;
    private volatile StatefulRedisClusterPubSubConnection<byte[], byte[]> connection;
    private volatile boolean subscribed;
    private volatile boolean running = true;
    private volatile String lastError;

    private ClusterTickSubscriber(RedisClusterConnector connector, boolean sharded, TickListener listener) {
        this.connector = connector;
        this.sharded = sharded;
        this.channel = connector.config().tickChannel().getBytes(StandardCharsets.UTF_8);
        this.listener = listener;
        this.connectThread = new Thread(this::connectLoop, "tickstock-cluster-subscriber-connect");
        connectThread.setDaemon(true);
    }

    /** Subscribes in the background; returns at once. */
    public static ClusterTickSubscriber start(RedisClusterConnector connector, boolean sharded, TickListener listener) {
        ClusterTickSubscriber s = new ClusterTickSubscriber(connector, sharded, listener);
        s.connectThread.start();
        return s;
    }

    private void connectLoop() {
        while (running) {
            try {
                StatefulRedisClusterPubSubConnection<byte[], byte[]> c = connector.connectPubSub();
                c.addListener(new Adapter());
                if (sharded) {
                    c.sync().ssubscribe(channel);
                } else {
                    c.sync().subscribe(channel);
                }
                connection = c;
                subscribed = true;
                LOG.info("{} to Redis Cluster channel {}", sharded ? "SSUBSCRIBEd" : "Subscribed",
                        connector.config().tickChannel());
                return;
            } catch (RuntimeException e) {
                lastError = String.valueOf(e.getMessage());
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
        }
    }

    public boolean isSubscribed() {
        return subscribed;
    }

    public long received() {
        return received.get();
    }

    private final class Adapter extends RedisClusterPubSubAdapter<byte[], byte[]> {
        @Override
        public void message(RedisClusterNode node, byte[] ch, byte[] message) {
            deliver(ch, message);
        }

        @Override
        public void smessage(RedisClusterNode node, byte[] ch, byte[] message) {
            deliver(ch, message);
        }
    }

    private void deliver(byte[] ch, byte[] message) {
        if (!Arrays.equals(ch, channel)) {
            return;
        }
        PublishedTick tick;
        try {
            tick = TickJson.read(message);
        } catch (IllegalArgumentException e) {
            malformed.incrementAndGet();
            return;
        }
        received.incrementAndGet();
        try {
            listener.onTick(tick);
        } catch (RuntimeException e) {
            lastError = "listener failed: " + e.getClass().getSimpleName();
        }
    }

    @Override
    public String healthName() {
        return "redis_subscriber";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("redis_connected", subscribed && connection != null && connection.isOpen());
        m.put("cluster", true);
        m.put("command", sharded ? "SSUBSCRIBE" : "SUBSCRIBE");
        m.put("channel", connector.config().tickChannel());
        m.put("received", received.get());
        m.put("malformed", malformed.get());
        m.put("last_error", lastError);
        return m;
    }

    @Override
    public void close() {
        running = false;
        connectThread.interrupt();
        var c = connection;
        if (c != null) {
            c.close();
        }
    }
}
