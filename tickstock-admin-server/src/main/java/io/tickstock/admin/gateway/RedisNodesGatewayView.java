package io.tickstock.admin.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
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
import io.tickstock.redis.node.NodeKeys;
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
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link GatewayView} over every live gateway node in Redis ({@code ADMIN_HEALTH_SOURCE=redis}): the
 * nodes' snapshots at {@code tickstock:node:<id>:health} (found with SCAN every poll interval), their
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
    private static final String MATCH = NodeKeys.NODE_PREFIX + "*" + NodeKeys.HEALTH_SUFFIX;

    private final RedisConnector connector;
    private final Clock clock;
    private final ScheduledExecutorService poller;
    private final List<TickSink<Tick>> tickSinks = new CopyOnWriteArrayList<>();
    private final List<StatusListener> statusListeners = new CopyOnWriteArrayList<>();
    private volatile Picture picture = new Picture(List.of(), Map.of(), Map.of());
    private volatile String lastError;
    private volatile long polls;
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

    /** One SCAN round; visible for tests. */
    void poll() {
        RedisCommands<String, String> r = commands();
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(MATCH).limit(200));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        keys.sort(null);
        Instant now = clock.instant();
        List<NodeView> nodes = new ArrayList<>();
        Map<String, Map<String, Object>> health = new LinkedHashMap<>();
        Map<String, String> routes = new HashMap<>();
        Map<String, Boolean> routeConnected = new HashMap<>();
        for (String key : keys) {
            String node = NodeKeys.nodeOfHealthKey(key);
            String json = node == null ? null : r.get(key);
            if (json == null) {
                continue; // expired between SCAN and GET: the node is gone
            }
            try {
                JsonNode doc = MAPPER.readTree(json);
                double generated = doc.path("generated_at").asDouble(0);
                long interval = doc.path("interval_ms").asLong(1000);
                double age = Math.max(0, now.toEpochMilli() / 1000.0 - generated);
                List<ConnectionInfo> conns = new ArrayList<>();
                for (JsonNode c : doc.path("connections")) {
                    ConnectionInfo info = connection(node, c);
                    conns.add(info);
                    for (String t : info.tickers()) {
                        String k = t + '|' + c.path("connection_id").asText();
                        // two nodes may list a ticker (a waiting node, a shard move): prefer the connected one
                        if (!routes.containsKey(k) || info.connected() && !routeConnected.get(k)) {
                            routes.put(k, info.id());
                            routeConnected.put(k, info.connected());
                        }
                    }
                }
                nodes.add(new NodeView(node, age * 1000 > 2 * interval, age, conns));
                @SuppressWarnings("unchecked")
                Map<String, Object> h = MAPPER.convertValue(doc.path("health"), Map.class);
                health.put(node, h == null ? Map.of() : h);
            } catch (Exception e) {
                lastError = "malformed snapshot of node " + node;
            }
        }
        picture = new Picture(List.copyOf(nodes), health, routes);
    }

    /** One slot of a node snapshot (as {@code NodeSnapshot.connection} wrote it), its id prefixed with the node. */
    static ConnectionInfo connection(String node, JsonNode c) {
        TreeSet<String> tickers = new TreeSet<>();
        c.path("tickers").forEach(t -> tickers.add(t.asText()));
        ConnectionStatus status;
        try {
            status = ConnectionStatus.valueOf(c.path("status").asText("disconnected").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            status = ConnectionStatus.DISCONNECTED;
        }
        String universe = text(c, "universe_key");
        return new ConnectionInfo(node + "/" + c.path("connection_id").asText(), c.path("index").asInt(1),
                c.path("name").asText(""), c.path("enabled").asBoolean(false), status, tickers,
                c.path("message_count").asLong(0), c.path("messages_per_second").asDouble(0),
                c.path("error_count").asLong(0), instant(c, "last_message_time"), text(c, "last_error"),
                instant(c, "connected_since"), c.path("priority").asText("standard"), Optional.ofNullable(universe),
                c.path("config_source").asText(""), c.path("ticker_count").asInt(tickers.size()));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : Instant.ofEpochMilli(Math.round(v.asDouble() * 1000));
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
        try {
            JsonNode m = MAPPER.readTree(json);
            String id = m.path("node_id").asText() + "/" + m.path("connection_id").asText();
            ConnectionStatus to = ConnectionStatus.valueOf(m.path("to").asText().toUpperCase(Locale.ROOT));
            String fromText = text(m, "from");
            ConnectionStatus from = fromText == null ? to : ConnectionStatus.valueOf(fromText.toUpperCase(Locale.ROOT));
            StatusChange change = new StatusChange(id, from, to, text(m, "message"),
                    Instant.ofEpochMilli(Math.round(m.path("at").asDouble() * 1000)));
            poller.execute(this::pollSafely); // the node wrote its snapshot before publishing
            for (StatusListener l : statusListeners) {
                l.onStatusChange(change);
            }
        } catch (Exception e) {
            lastError = "malformed node status message";
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
                        c.lastMessageTime() == null ? null : c.lastMessageTime().toEpochMilli() / 1000.0,
                        c.messagesPerSecond(), c.lastError(),
                        c.connectedSince() == null ? null : c.connectedSince().toEpochMilli() / 1000.0,
                        c.priority(), n.stale()));
            }
        }
        Map<String, Map<String, Object>> components = new LinkedHashMap<>();
        components.put("nodes", new LinkedHashMap<>(p.health()));
        components.put("admin_nodes_view", figures());
        return new HealthStatus(total, connected, ticks, errors, conns, 0, HealthStatus.SequenceFigures.NONE, 0,
                HealthStatus.SymbolStateFigures.NONE, 0, components,
                clock.millis() / 1000.0);
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
