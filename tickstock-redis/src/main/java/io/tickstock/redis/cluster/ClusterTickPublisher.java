package io.tickstock.redis.cluster;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.tickstock.core.internal.bus.DropOldestQueue;
import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.health.HealthContributor;
import io.tickstock.core.internal.config.Secrets;
import io.tickstock.redis.TickJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes every tick to the tick channel of a Redis Cluster, with {@code SPUBLISH} (sharded pub/sub)
 * or {@code PUBLISH}, in the same message format as {@code RedisTickPublisher} ({@link TickJson}).
 *
 * <p>Concurrency, in one place: {@link #accept} runs on feed I/O threads and only offers to a bounded
 * queue (the oldest tick is dropped when full, counted). One thread ("tickstock-cluster-publisher")
 * drains batches, writes them pipelined (one flush per batch) and waits up to the command timeout for
 * their replies; rejected or failed ticks count as {@code dropped_redis}. A command Redis has not
 * answered stays in flight until Lettuce completes or fails it (Lettuce keeps it on its stack as long as
 * the connection is open), and no new batch is sent while any is: a stalled node costs the bounded queue
 * and its counted overflow, never a growing Lettuce stack or a stream of rejected commands.
 */
public final class ClusterTickPublisher implements TickSink<MarketEvent>, HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTickPublisher.class);

    private final RedisClusterConnector connector;
    private final boolean sharded;
    private final byte[] channel;
    private final DropOldestQueue<MarketEvent> queue;
    private final TickJson.Encoder encoder; // used by the publisher thread only
    private final int batchSize;
    private final long timeoutMs;
    private final Thread thread;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong droppedRedis = new AtomicLong();
    private final List<RedisFuture<Long>> inFlight = new ArrayList<>(); // publisher thread only
    private volatile int inFlightCount;
    private volatile String lastError;
    private volatile boolean running = true;
    private volatile boolean connected;

    private ClusterTickPublisher(RedisClusterConnector connector, boolean sharded, String sourceLabel) {
        this.connector = connector;
        this.encoder = TickJson.encoder(sourceLabel);
        this.sharded = sharded;
        this.channel = connector.config().tickChannel().getBytes(StandardCharsets.UTF_8);
        this.queue = new DropOldestQueue<>(connector.config().queueCapacity());
        this.batchSize = connector.config().batchSize();
        this.timeoutMs = connector.config().commandTimeout().toMillis();
        this.thread = new Thread(this::run, "tickstock-cluster-publisher");
        thread.setDaemon(true);
    }

    /** Starts the publisher thread; returns at once (it connects in the background). */
    public static ClusterTickPublisher start(RedisClusterConnector connector, boolean sharded) {
        return start(connector, sharded, null);
    }

    /** Like {@link #start(RedisClusterConnector, boolean)}, every message labelled {@code "source":sourceLabel}. */
    public static ClusterTickPublisher start(RedisClusterConnector connector, boolean sharded, String sourceLabel) {
        ClusterTickPublisher p = new ClusterTickPublisher(connector, sharded, sourceLabel);
        p.thread.start();
        return p;
    }

    @Override
    public void accept(MarketEvent event) {
        queue.offer(event);
    }

    private void run() {
        StatefulRedisClusterConnection<byte[], byte[]> connection = null;
        List<MarketEvent> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            if (connection == null) {
                try {
                    connection = connector.connectBinary();
                    connected = true;
                    LOG.info("Publishing ticks to Redis Cluster {} with {}", connector.config().redactedUrl(),
                            sharded ? "SPUBLISH" : "PUBLISH");
                } catch (RuntimeException e) {
                    failed(e);
                    if (!running) {
                        break;
                    }
                    park(500);
                    continue;
                }
            }
            if (!inFlight.isEmpty()) {
                settle(TimeUnit.MILLISECONDS.toNanos(50));
                if (!inFlight.isEmpty() && running) {
                    continue; // Redis has not answered the last batch yet: leave new ticks queued
                }
            }
            batch.clear();
            try {
                MarketEvent first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            queue.drainTo(batch, batchSize - 1);
            publish(connection, batch);
        }
        settle(0);
        for (RedisFuture<Long> f : inFlight) { // unanswered at close: Lettuce drops them with the connection
            f.cancel(false);
            droppedRedis.incrementAndGet();
        }
        inFlight.clear();
        inFlightCount = 0;
        queue.discardAll();
        if (connection != null) {
            connection.close();
        }
    }

    private void publish(StatefulRedisClusterConnection<byte[], byte[]> connection, List<MarketEvent> batch) {
        // The whole batch goes down one connection, to the node owning the channel's slot: spread over two
        // connections (Lettuce's default one and the node's) Redis would interleave them and break the
        // order. Batches follow each other only after their replies, so a slot moving between batches
        // (resharding, failover) cannot reorder either.
        StatefulConnection<byte[], byte[]> target = connection;
        io.lettuce.core.api.async.BaseRedisAsyncCommands<byte[], byte[]> async = connection.async();
        RedisClusterNode owner = connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(channel));
        if (owner != null) {
            try {
                StatefulRedisConnection<byte[], byte[]> node = connection.getConnection(owner.getNodeId());
                target = node;
                async = node.async();
            } catch (RuntimeException e) {
                failed(e); // fall back to the cluster connection's own routing
            }
        }
        List<RedisFuture<Long>> replies = new ArrayList<>(batch.size());
        target.setAutoFlushCommands(false);
        try {
            for (MarketEvent e : batch) {
                byte[] json = encoder.encode(e);
                replies.add(sharded ? async.spublish(channel, json) : async.publish(channel, json));
            }
        } finally {
            target.flushCommands();
            target.setAutoFlushCommands(true);
        }
        inFlight.addAll(replies);
        inFlightCount = inFlight.size();
        settle(TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    }

    /** Waits up to {@code waitNanos} for the replies in flight and counts each one Lettuce has released. */
    private void settle(long waitNanos) {
        long deadline = System.nanoTime() + waitNanos;
        int settled = 0;
        for (RedisFuture<Long> f : inFlight) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                published.incrementAndGet();
                connected = true;
            } catch (java.util.concurrent.TimeoutException e) {
                failed(new java.util.concurrent.TimeoutException("no reply from Redis within " + timeoutMs + " ms"));
                connected = false;
                break; // replies come in order: the later ones are not there either
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                droppedRedis.incrementAndGet();
                connected = false;
                failed(e);
            }
            settled++;
        }
        inFlight.subList(0, settled).clear();
        inFlightCount = inFlight.size();
    }

    private void failed(Exception e) {
        String msg = Secrets.redactUrl(String.valueOf(e.getMessage()));
        if (!msg.equals(lastError)) {
            LOG.warn("Redis Cluster publishing failed: {}", msg);
        }
        lastError = msg;
    }

    private static void park(long ms) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /** Ticks published so far. */
    public long published() {
        return published.get();
    }

    @Override
    public String healthName() {
        return "redis_publisher";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("redis_connected", connected);
        m.put("url", connector.config().redactedUrl());
        m.put("cluster", true);
        m.put("command", sharded ? "SPUBLISH" : "PUBLISH");
        m.put("channel", connector.config().tickChannel());
        m.put("offered", queue.offered());
        m.put("published", published.get());
        m.put("dropped", queue.dropped() + droppedRedis.get());
        m.put("dropped_queue_full", queue.dropped());
        m.put("dropped_redis", droppedRedis.get());
        m.put("queue_depth", queue.size());
        m.put("queue_capacity", connector.config().queueCapacity());
        m.put("in_flight", inFlightCount);
        m.put("last_error", lastError);
        return m;
    }

    /** Gives queued ticks one command timeout to go out, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(timeoutMs + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
