package io.tickstock.admin.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tickstock.core.bus.TickSink;
import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.StatusChange;
import io.tickstock.core.connection.StatusListener;
import io.tickstock.core.event.Tick;
import io.tickstock.core.health.ConnectionHealth;
import io.tickstock.core.health.HealthStatus;
import io.tickstock.redis.RedisConnector;
import io.tickstock.redis.RedisTickSubscriber;
import io.tickstock.redis.internal.node.NodeHeartbeats;
import io.tickstock.redis.internal.node.NodeKeys;
import io.tickstock.redis.internal.node.NodeSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link GatewayView} over every live gateway node in Redis ({@code ADMIN_HEALTH_SOURCE=redis}): the
 * nodes' snapshots at {@code tickstock:node:<id>:health} (the live ones listed by the heartbeat set
 * {@code tickstock:node:heartbeats}, read in one round trip every poll interval), their
 * status changes from {@code tickstock:node:status}, and the ticks from the tick channel. A node whose
 * snapshot is older than twice its health interval is marked stale; one whose key expired is gone.
 * Connection ids are node-qualified ({@code <node id>/connection_<n>}) so that slots of different nodes
 * never mix; a tick from Redis is placed on the node whose connection carries its symbol.
 *
 * <p>Threads: one poller thread ("admin-nodes") reads Redis and publishes an immutable picture
 * (a volatile field); readers never touch Redis.
 */
public final class RedisNodesGatewayView implements GatewayView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisNodesGatewayView.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RedisConnector connector;
    private final Clock clock;
    private final ScheduledExecutorService poller;
    private final List<TickSink<Tick>> tickSinks = new CopyOnWriteArrayList<>();
    private final List<StatusListener> statusListeners = new CopyOnWriteArrayList<>();
    private volatile Picture picture = new Picture(List.of(), Map.of(), Map.of());
    private volatile String lastError;
    private volatile long polls;
    private final java.util.concurrent.atomic.AtomicLong listenerFailures = new java.util.concurrent.atomic.AtomicLong();
    private StatefulRedisConnection<String, String> connection; // poller thread only
    private StatefulRedisPubSubConnection<byte[], byte[]> statusConnection;
    private RedisTickSubscriber ticks;

    /** What the last poll saw: nodes, raw health by node, and (symbol, connection) → qualified id. */
    private record Picture(List<NodeView> nodes, Map<String, Map<String, Object>> health,
                           Map<String, String> tickRoutes) {
    }

    private RedisNodesGatewayView(RedisConnector connector, Clock clock) {
        this.connector = connector;
        this.clock = clock;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "admin-nodes");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts polling every {@code pollInterval} and following status changes and ticks. */
    public static RedisNodesGatewayView start(RedisConnector connector, Duration pollInterval, Clock clock) {
        RedisNodesGatewayView v = new RedisNodesGatewayView(connector, clock);
        v.poller.scheduleWithFixedDelay(v::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        v.poller.execute(v::subscribeStatus);
        v.ticks = RedisTickSubscriber.start(connector, v::onTick);
        return v;
    }

    private void pollSafely() {
        try {
            poll();
            polls++;
        } catch (RuntimeException e) {
            String msg = connector.safeMessage(e);
            if (!msg.equals(lastError)) {
                LOG.warn("Reading node health from Redis failed: {}", msg);
            }
            lastError = msg;
        }
    }

    /** One round: every live node's snapshot in one round trip; visible for tests. */
    void poll() {
        // in id order: the set's own order follows the heartbeats, which change with every write
        Map<String, String> docs = new TreeMap<>(NodeHeartbeats.readLive(commands()));
        Instant now = clock.instant();
        List<NodeView> nodes = new ArrayList<>();
        Map<String, Map<String, Object>> health = new LinkedHashMap<>();
        Map<String, String> routes = new HashMap<>();
        Map<String, Boolean> routeConnected = new HashMap<>();
        for (Map.Entry<String, String> e : docs.entrySet()) {
            String node = e.getKey();
            NodeSnapshot.Read doc;
            try {
                doc = NodeSnapshot.parse(e.getValue());
            } catch (NodeSnapshot.MalformedSnapshotException ex) {
                lastError = "malformed snapshot of node " + node;
                continue;
            }
            List<ConnectionInfo> conns = doc.qualifiedConnections(node); // filed under the set's member
            for (ConnectionInfo info : conns) {
                String cid = info.id().substring(node.length() + 1);
                for (String t : info.tickers()) {
                    String k = t + '|' + cid;
                    // two nodes may list a ticker (a waiting node, a shard move): prefer the connected one
                    if (!routes.containsKey(k) || info.connected() && !routeConnected.get(k)) {
                        routes.put(k, info.id());
                        routeConnected.put(k, info.connected());
                    }
                }
            }
            nodes.add(new NodeView(node, doc.stale(now.toEpochMilli()), doc.ageSeconds(now.toEpochMilli()), conns));
            health.put(node, doc.health());
        }
        picture = new Picture(List.copyOf(nodes), health, routes);
    }

    /** One slot of a node snapshot (as {@code NodeSnapshot.connection} wrote it), its id prefixed with the node. */
    static ConnectionInfo connection(String node, JsonNode c) {
        return NodeSnapshot.qualify(node, NodeSnapshot.readConnection(c));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private void subscribeStatus() {
        try {
            statusConnection = connector.connectPubSub();
            statusConnection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] channel, byte[] message) {
                    onStatusMessage(new String(message, StandardCharsets.UTF_8));
                }
            });
            statusConnection.sync().subscribe(NodeKeys.STATUS_CHANNEL.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            lastError = connector.safeMessage(e);
            poller.schedule(this::subscribeStatus, 1, TimeUnit.SECONDS); // Redis not there yet
        }
    }

    private void onStatusMessage(String json) {
        StatusChange change;
        try {
            JsonNode m = MAPPER.readTree(json);
            String id = m.path("node_id").asText() + "/" + m.path("connection_id").asText();
            ConnectionStatus to = ConnectionStatus.valueOf(m.path("to").asText().toUpperCase(Locale.ROOT));
            String fromText = text(m, "from");
            ConnectionStatus from = fromText == null ? to : ConnectionStatus.valueOf(fromText.toUpperCase(Locale.ROOT));
            change = new StatusChange(id, from, to, text(m, "message"),
                    Math.round(m.path("at").asDouble() * 1000));
        } catch (JsonProcessingException | IllegalArgumentException e) { // parse errors only
            lastError = "malformed node status message";
            return;
        }
        poller.execute(this::pollSafely); // the node wrote its snapshot before publishing
        for (StatusListener l : statusListeners) {
            try {
                l.onStatusChange(change);
            } catch (RuntimeException e) { // a listener's bug, not a bad message: keep its stack, spare the others
                listenerFailures.incrementAndGet();
                LOG.error("A status listener failed on {}", change, e);
            }
        }
    }

    private void onTick(Tick t) {
        String id = picture.tickRoutes().get(t.symbol() + '|' + t.connectionId());
        if (id == null) {
            return; // from a node not seen yet
        }
        RelayedTick q = new RelayedTick(t.symbol(), t.price(), t.volume(), t.timestamp(), t.eventType(), id,
                t.source(), clock.millis());
        for (TickSink<Tick> sink : tickSinks) {
            sink.accept(q);
        }
    }

    private RedisCommands<String, String> commands() {
        if (connection == null) {
            connection = connector.connectText();
        }
        return connection.sync();
    }

    @Override
    public List<NodeView> nodes() {
        return picture.nodes();
    }

    @Override
    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> all = new ArrayList<>();
        for (NodeView n : picture.nodes()) {
            all.addAll(n.connections());
        }
        return all;
    }

    @Override
    public HealthStatus health() {
        Picture p = picture;
        Map<String, ConnectionHealth> conns = new LinkedHashMap<>();
        int total = 0;
        int connected = 0;
        long ticks = 0;
        long errors = 0;
        for (NodeView n : p.nodes()) {
            for (ConnectionInfo c : n.connections()) {
                if (!c.enabled()) {
                    continue;
                }
                total++;
                connected += c.connected() ? 1 : 0;
                ticks += c.messageCount();
                errors += c.errorCount();
                conns.put(c.id(), new ConnectionHealth(c.name(), c.status().wireName(), c.tickerCount(),
                        c.messageCount(), c.errorCount(),
                        c.lastMessageTimeMillis(), c.messagesPerSecond(), c.lastError(), c.connectedSinceMillis(),
                        c.priority(), n.stale()));
            }
        }
        Map<String, Map<String, Object>> components = new LinkedHashMap<>();
        components.put("nodes", new LinkedHashMap<>(p.health()));
        components.put("admin_nodes_view", figures());
        return new HealthStatus(total, connected, ticks, errors, conns, 0, HealthStatus.SequenceFigures.NONE, 0,
                HealthStatus.SymbolStateFigures.NONE, 0, components,
                clock.millis());
    }

    /** Ticks relayed by the nodes, with the connection id this view shows; no {@link #control()}: an operator
     * reconnects a node's connection on that node's own dashboard. */
    @Override
    public void addTickSink(TickSink<Tick> sink) {
        tickSinks.add(sink);
    }

    @Override
    public void addStatusListener(StatusListener listener) {
        statusListeners.add(listener);
    }

    /** The view's own figures (in {@code health()} under {@code admin_nodes_view}). */
    public Map<String, Object> figures() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "redis");
        m.put("nodes", picture.nodes().size());
        m.put("stale_nodes", picture.nodes().stream().filter(NodeView::stale).count());
        m.put("polls", polls);
        m.put("last_error", lastError);
        m.put("status_listener_failures", listenerFailures.get());
        m.put("ticks", ticks == null ? null : ticks.health());
        return m;
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.close();
        }
        poller.shutdown();
        try {
            poller.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (statusConnection != null) {
            statusConnection.close();
        }
        if (connection != null) {
            connection.close();
        }
    }
}
