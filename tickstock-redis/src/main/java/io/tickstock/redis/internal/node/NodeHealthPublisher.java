package io.tickstock.redis.internal.node;

import io.tickstock.redis.node.NodeConfig;
import io.tickstock.core.internal.health.EpochSeconds;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tickstock.core.connection.StatusChange;
import io.tickstock.core.connection.StatusListener;
import io.tickstock.core.health.HealthContributor;
import io.tickstock.redis.RedisConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Writes this node's {@link NodeSnapshot} to {@code tickstock:node:<id>:health} every health interval
 * ({@code SET … PX <ttl>}: a node that dies disappears by itself) and publishes every status change of its
 * connections on {@code tickstock:node:status}, followed at once by a fresh snapshot.
 *
 * <p>Threads: status changes arrive on feed threads and only enter a bounded queue (overflow counted);
 * one thread ("tickstock-node-health") does all Redis work. Redis being down costs failed writes (counted),
 * never a stalled feed.
 */
public final class NodeHealthPublisher implements StatusListener, HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHealthPublisher.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int STATUS_QUEUE = 1024;

    private final RedisConnector connector;
    private final NodeConfig config;
    private final Supplier<Map<String, Object>> snapshot;
    private final String healthKey;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final ArrayBlockingQueue<StatusChange> changes = new ArrayBlockingQueue<>(STATUS_QUEUE);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private final AtomicLong statusPublished = new AtomicLong();
    private final AtomicLong statusDropped = new AtomicLong();
    private volatile String lastError;
    private volatile boolean closed;
    // owned by the publisher thread
    private StatefulRedisConnection<String, String> connection;

    private NodeHealthPublisher(RedisConnector connector, NodeConfig config, Supplier<Map<String, Object>> snapshot,
                                Clock clock) {
        this.connector = connector;
        this.clock = clock;
        this.config = config;
        this.snapshot = snapshot;
        this.healthKey = NodeKeys.health(config.nodeId());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tickstock-node-health");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts writing at once and then every {@link NodeConfig#healthInterval()}.
     *
     * @param snapshot the document to write, e.g. {@code NodeSnapshot.of(...)} of the local manager
     */
    public static NodeHealthPublisher start(RedisConnector connector, NodeConfig config,
                                            Supplier<Map<String, Object>> snapshot) {
        return start(connector, config, snapshot, Clock.systemUTC());
    }

    /** As above, with heartbeat times (the score in {@code tickstock:node:heartbeats}) from {@code clock}. */
    public static NodeHealthPublisher start(RedisConnector connector, NodeConfig config,
                                            Supplier<Map<String, Object>> snapshot, Clock clock) {
        NodeHealthPublisher p = new NodeHealthPublisher(connector, config, snapshot, clock);
        long every = config.healthInterval().toMillis();
        p.thread.scheduleAtFixedRate(p::writeSnapshotSafely, 0, every, TimeUnit.MILLISECONDS);
        return p;
    }

    @Override
    public void onStatusChange(StatusChange change) {
        if (!changes.offer(change)) {
            statusDropped.incrementAndGet();
        }
        if (drainScheduled.compareAndSet(false, true) && !closed) {
            try {
                thread.execute(this::drainChanges);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                drainScheduled.set(false); // closing
            }
        }
    }

    private void drainChanges() {
        drainScheduled.set(false);
        StatusChange c;
        boolean any = false;
        while ((c = changes.poll()) != null) {
            any = true;
            try {
                commands().publish(NodeKeys.STATUS_CHANNEL, MAPPER.writeValueAsString(statusJson(c)));
                statusPublished.incrementAndGet();
            } catch (RuntimeException | JsonProcessingException e) {
                statusDropped.incrementAndGet();
                failed(e);
            }
        }
        if (any) {
            writeSnapshotSafely(); // readers of the status channel re-read the snapshot right after
        }
    }

    private Map<String, Object> statusJson(StatusChange c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node_id", config.nodeId().value());
        m.put("connection_id", c.connectionId());
        m.put("from", c.from() == null ? null : c.from().wireName());
        m.put("to", c.to().wireName());
        m.put("message", c.message());
        m.put("at", EpochSeconds.of(c.atMillis()));
        return m;
    }

    private void writeSnapshotSafely() {
        if (closed) {
            return;
        }
        try {
            String json = MAPPER.writeValueAsString(snapshot.get());
            NodeHeartbeats.write(commands(), config.nodeId(), json, config.healthTtl().toMillis(), clock.millis());
            writes.incrementAndGet();
        } catch (RuntimeException | JsonProcessingException e) {
            writeFailures.incrementAndGet();
            failed(e);
        }
    }

    private RedisCommands<String, String> commands() {
        if (connection == null) {
            connection = connector.connectText(); // throws while Redis is unreachable; retried next round
        }
        return connection.sync();
    }

    private void failed(Exception e) {
        String msg = connector.safeMessage(e);
        if (!msg.equals(lastError)) {
            LOG.warn("Node health to Redis failed: {}", msg);
        }
        lastError = msg;
    }

    public long writes() {
        return writes.get();
    }

    @Override
    public String healthName() {
        return "node";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node_id", config.nodeId().value());
        m.put("health_key", healthKey);
        m.put("snapshots_written", writes.get());
        m.put("snapshot_failures", writeFailures.get());
        m.put("status_published", statusPublished.get());
        m.put("status_dropped", statusDropped.get());
        m.put("last_error", lastError);
        return m;
    }

    /** Stops writing and deletes the snapshot, so that an admin server drops this node at once. */
    @Override
    public void close() {
        closed = true;
        thread.execute(() -> {
            try {
                NodeHeartbeats.remove(commands(), config.nodeId());
            } catch (RuntimeException e) {
                // the key expires by itself
            }
            if (connection != null) {
                connection.close();
            }
        });
        thread.shutdown();
        try {
            thread.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
