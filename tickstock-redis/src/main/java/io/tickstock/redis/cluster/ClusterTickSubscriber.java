package io.tickstock.redis.cluster;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.Tick;
import io.tickstock.core.health.HealthContributor;
import io.tickstock.redis.internal.TickMessageDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Receives the ticks of a Redis Cluster's tick channel ({@code SSUBSCRIBE} with sharded pub/sub, else
 * {@code SUBSCRIBE}) and hands each to a {@link TickSink} on a Lettuce I/O thread, in channel order.
 */
public final class ClusterTickSubscriber implements HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTickSubscriber.class);

    private final RedisClusterConnector connector;
    private final boolean sharded;
    private final TickMessageDelivery delivery;
    private final Thread connectThread;
    private volatile StatefulRedisClusterPubSubConnection<byte[], byte[]> connection;
    private volatile boolean subscribed;
    private volatile boolean running = true;

    private ClusterTickSubscriber(RedisClusterConnector connector, boolean sharded, TickSink<Tick> listener) {
        this.connector = connector;
        this.sharded = sharded;
        this.delivery = new TickMessageDelivery(connector.config().tickChannel(), listener,
                connector.config()::safeMessage);
        this.connectThread = new Thread(this::connectLoop, "tickstock-cluster-subscriber-connect");
        connectThread.setDaemon(true);
    }

    /** Subscribes in the background; returns at once. */
    public static ClusterTickSubscriber start(RedisClusterConnector connector, boolean sharded, TickSink<Tick> listener) {
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
                    c.sync().ssubscribe(delivery.channel());
                } else {
                    c.sync().subscribe(delivery.channel());
                }
                connection = c;
                subscribed = true;
                LOG.info("{} to Redis Cluster channel {}", sharded ? "SSUBSCRIBEd" : "Subscribed",
                        connector.config().tickChannel());
                return;
            } catch (RuntimeException e) {
                delivery.recordError(e);
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
        }
    }

    /** Whether the subscription is in place. */
    public boolean isSubscribed() {
        return subscribed;
    }

    /** Ticks received so far. */
    public long received() {
        return delivery.received();
    }

    private final class Adapter extends RedisClusterPubSubAdapter<byte[], byte[]> {
        @Override
        public void message(RedisClusterNode node, byte[] ch, byte[] message) {
            delivery.deliver(ch, message);
        }

        @Override
        public void smessage(RedisClusterNode node, byte[] ch, byte[] message) {
            delivery.deliver(ch, message);
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
        delivery.putHealth(m);
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
