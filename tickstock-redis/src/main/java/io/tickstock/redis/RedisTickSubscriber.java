package io.tickstock.redis;

import io.tickstock.redis.internal.TickMessageDelivery;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.Tick;
import io.tickstock.core.health.HealthContributor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the tick channel and hands each tick to a {@link TickSink} (for an admin server that runs
 * in another process than the feed). Lettuce reconnects by itself and re-subscribes the channel after
 * every reconnect; when Redis is down at start, a background thread keeps trying.
 *
 * <p>The listener is called on a Lettuce I/O thread, one message at a time in channel order: it must be
 * quick and must not block (put a bounded queue in front of anything slow, as the admin server's
 * coalescer does). Malformed messages are counted and skipped; a listener that throws is counted too.
 */
public final class RedisTickSubscriber implements HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisTickSubscriber.class);

    private final RedisConnector connector;
    private final boolean ownsConnector;
    private final TickMessageDelivery delivery;
    private final Thread connectThread;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> connection;
    private volatile boolean subscribed;
    private volatile boolean running = true;

    private RedisTickSubscriber(RedisConnector connector, boolean owns, TickSink<Tick> listener) {
        this.connector = connector;
        this.ownsConnector = owns;
        this.delivery = new TickMessageDelivery(connector.config().tickChannel(), listener, connector::safeMessage);
        this.connectThread = new Thread(this::connectLoop, "tickstock-redis-subscriber-connect");
        connectThread.setDaemon(true);
    }

    /** Subscribes with its own Lettuce client; returns at once, connecting in the background. */
    public static RedisTickSubscriber start(RedisConfig config, TickSink<Tick> listener) {
        return start(RedisConnector.create(config), true, listener);
    }

    /** Subscribes on a shared connector, which the caller closes after the subscriber. */
    public static RedisTickSubscriber start(RedisConnector connector, TickSink<Tick> listener) {
        return start(connector, false, listener);
    }

    private static RedisTickSubscriber start(RedisConnector connector, boolean owns, TickSink<Tick> listener) {
        RedisTickSubscriber s = new RedisTickSubscriber(connector, owns, listener);
        s.connectThread.start();
        return s;
    }

    /** Opens the pub/sub connection once; afterwards Lettuce's own reconnect keeps it alive. */
    private void connectLoop() {
        long delayMs = 50;
        while (running) {
            try {
                StatefulRedisPubSubConnection<byte[], byte[]> c = connector.connectPubSub();
                c.addListener(new Adapter());
                c.sync().subscribe(delivery.channel());
                connection = c;
                if (!running) {
                    c.close();
                }
                LOG.info("Subscribed to Redis channel {} at {}", connector.config().tickChannel(),
                        connector.config().redactedUrl());
                return;
            } catch (RuntimeException e) {
                delivery.recordError(e);
                LOG.warn("Redis subscriber cannot connect to {} ({}); retrying", connector.config().redactedUrl(),
                        connector.safeMessage(e));
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delayMs));
                delayMs = Math.min(delayMs * 2, connector.config().reconnectMaxDelay().toMillis());
            }
        }
    }

    private final class Adapter extends RedisPubSubAdapter<byte[], byte[]> {
        @Override
        public void message(byte[] ch, byte[] message) {
            delivery.deliver(ch, message);
        }

        @Override
        public void subscribed(byte[] ch, long count) {
            subscribed = true;
        }

        @Override
        public void unsubscribed(byte[] ch, long count) {
            subscribed = false;
        }
    }

    /** Open and subscribed to the tick channel right now. */
    public boolean isConnected() {
        StatefulRedisPubSubConnection<byte[], byte[]> c = connection;
        return c != null && c.isOpen() && subscribed;
    }

    /** Tick messages received so far. */
    public long received() {
        return delivery.received();
    }

    /** Messages that were not a valid tick, skipped. */
    public long malformed() {
        return delivery.malformed();
    }

    @Override
    public String healthName() {
        return "redis_subscriber";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("redis_connected", isConnected());
        m.put("url", connector.config().redactedUrl());
        m.put("channel", connector.config().tickChannel());
        delivery.putHealth(m);
        return m;
    }

    @Override
    public void close() {
        running = false;
        connectThread.interrupt();
        try {
            connectThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StatefulRedisPubSubConnection<byte[], byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        if (ownsConnector) {
            connector.close();
        }
    }
}
