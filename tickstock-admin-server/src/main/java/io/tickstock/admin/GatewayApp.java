package io.tickstock.admin;

import io.tickstock.admin.gateway.ManagerGatewayView;
import io.tickstock.admin.gateway.RedisNodesGatewayView;
import io.tickstock.core.bus.IngestGate;
import io.tickstock.core.connection.FeedClientFactory;
import io.tickstock.core.bus.LocalTickBus;
import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.resources.TickStockResources;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.universe.UniverseResolver;
import io.tickstock.core.universe.UniverseSource;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.feed.massive.MassiveFeedClientFactory;
import io.tickstock.feed.massive.capture.CaptureConfig;
import io.tickstock.feed.massive.capture.FrameCapture;
import io.tickstock.emulator.MassiveEmulator;
import io.tickstock.core.lastvalue.LastValueStore;
import io.tickstock.redis.LastValueConfig;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisConnector;
import io.tickstock.redis.RedisTickPublisher;
import io.tickstock.redis.RedisUniverseSource;
import io.tickstock.redis.TickJson;
import io.tickstock.redis.cluster.ClusterConfig;
import io.tickstock.redis.cluster.ClusterTickPublisher;
import io.tickstock.redis.cluster.RedisClusterConnector;
import io.tickstock.core.health.HealthContributor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The whole gateway in one process, assembled from configuration: universes → manager with Massive
 * clients → in-process bus or Redis → admin server. Without {@code MASSIVE_API_KEY} it runs in demo
 * mode: a Massive emulator on a loopback port feeds three connections with sample universes.
 * {@link #close()} stops everything in reverse order (dashboards, feeds, then the publisher is flushed).
 */
public final class GatewayApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);
    /** Events per second the demo emulator generates over all connections. */
    public static final String DEMO_RATE = "TICKSTOCK_DEMO_EVENTS_PER_SECOND";
    /** The demo's three connections: name and universe (disjoint sample universes). */
    static final String[][] DEMO_SLOTS = {
            {"primary", "finance_sector:large_cap"},
            {"secondary", "healthcare_sector:large_cap"},
            {"tertiary", "energy_sector:large_cap"}};

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    /** The clock and control thread every component shares; closed last (pushed first). */
    private final TickStockResources shared = TickStockResources.create("tickstock-control");
    private final boolean demo;
    private MassiveEmulator emulator;
    private MultiConnectionManager manager;
    private LastValueStore lastValues;
    private AdminServer server;

    private GatewayApp(boolean demo) {
        this.demo = demo;
        resources.push(shared);
    }

    /**
     * Starts everything. Configuration errors surface as {@link io.tickstock.core.config.ConfigException}
     * before anything is started.
     *
     * @param out where the dashboard URL and a generated password are printed (stdout, never the log)
     */
    public static GatewayApp start(Settings settings, PrintStream out) throws IOException {
        // every key validated before anything starts; keys set but never read are likely misspelt
        ConfigCheck.run(settings).unused().forEach(u -> LOG.warn(u.message()));
        AdminConfig adminConfig = AdminConfig.from(settings);
        // an admin server showing nodes from Redis runs no feed, so it has no demo mode either
        boolean demo = settings.get(MassiveConfig.API_KEY).isEmpty() && !Scaling.healthSourceIsRedis(settings);
        GatewayApp app = new GatewayApp(demo);
        try {
            app.startAll(settings, adminConfig, out);
            return app;
        } catch (RuntimeException | IOException e) {
            app.close();
            throw e;
        }
    }

    private void startAll(Settings settings, AdminConfig adminConfig, PrintStream out) throws IOException {
        if (Scaling.healthSourceIsRedis(settings)) {
            startAggregator(settings, adminConfig, out);
            return;
        }
        Settings s = settings;
        if (demo) {
            long rate = settings.getLong(DEMO_RATE, 2_000, 1, 10_000_000);
            String key = HexFormat.of().formatHex(randomBytes(16));
            emulator = MassiveEmulator.builder().host("127.0.0.1").port(0).apiKeys(key).eventsPerSecond(rate)
                    .build().start();
            resources.push(emulator);
            s = demoSettings(settings, key, emulator.url());
            LOG.warn("DEMO MODE: no MASSIVE_API_KEY set. Prices are SYNTHETIC, generated by the built-in Massive "
                    + "emulator on {} at {} events/s; this is not market data.", emulator.url(), rate);
        }
        GatewayConfig gatewayConfig = GatewayConfig.from(s);
        MassiveConfig massiveConfig = MassiveConfig.from(s);
        Optional<RedisConfig> redisConfig = RedisConfig.from(s);

        UniverseSource[] extra = {};
        IngestGate gate = null; // lets the Redis publisher pause the feeds briefly instead of dropping
        TickSink<MarketEvent> publisher = null;
        HealthContributor publisherHealth = null;
        RedisConnector connector = null;
        ClusterConfig cluster = ClusterConfig.from(s);
        if (redisConfig.isPresent() && cluster.cluster()) {
            // Redis Cluster (docs/scaling.md): ticks only; universes, node health, leases and shards need
            // a standalone Redis (they use SCAN and keys that would span the cluster's nodes)
            RedisClusterConnector clusterConnector = new RedisClusterConnector(redisConfig.get());
            resources.push(clusterConnector);
            ClusterTickPublisher p = ClusterTickPublisher.start(clusterConnector, cluster.shardedPubSub(), sourceLabel());
            resources.push(p);
            publisher = p;
            publisherHealth = p;
            LOG.info("Publishing ticks to Redis Cluster {} with {}", redisConfig.get().redactedUrl(),
                    cluster.shardedPubSub() ? "SPUBLISH" : "PUBLISH");
            if (s.getBoolean("TICKSTOCK_SHARDING", false) || s.get("TICKSTOCK_NODE_ID").isPresent()) {
                LOG.warn("REDIS_CLUSTER=true: node health, slot leases and ticker sharding need a standalone Redis "
                        + "and are not started (docs/scaling.md)");
            }
        } else if (redisConfig.isPresent()) {
            connector = RedisConnector.create(redisConfig.get());
            resources.push(connector);
            RedisUniverseSource redisUniverses = RedisUniverseSource.create(connector);
            resources.push(redisUniverses);
            extra = new UniverseSource[] {redisUniverses};
            RedisTickPublisher p = RedisTickPublisher.start(connector, sourceLabel(), LastValueConfig.from(s));
            resources.push(p);
            gate = new IngestGate(redisConfig.get().maxPause(), shared.scheduler(), shared::nanoTime);
            p.ingestGate(gate);
            publisher = p;
            publisherHealth = p; // it says where it publishes
        }
        UniverseResolver universes = UniverseResolver.fromSettings(s, extra);
        Optional<CaptureConfig> captureConfig = CaptureConfig.from(s);
        FrameCapture capture = null;
        if (captureConfig.isPresent()) { // closed after the clients (resources close newest first)
            capture = FrameCapture.start(captureConfig.get(), shared.clock());
            resources.push(capture);
        }
        MassiveFeedClientFactory clients = new MassiveFeedClientFactory(massiveConfig, shared);
        resources.push(clients);
        if (capture != null) {
            clients.capture(capture);
        }
        clients.ingestGate(gate);
        // ---- several gateway nodes on Redis (docs/scaling.md): node id, slot leases, ticker shards ----
        Scaling scaling = connector == null ? Scaling.none()
                : Scaling.configure(s, gatewayConfig, massiveConfig, connector, demo, shared.clock());
        FeedClientFactory feeds = scaling.wrap(clients);

        LocalTickBus bus = null;
        TickSink<MarketEvent> sink;
        if (publisher != null) {
            sink = publisher;
        } else {
            bus = new LocalTickBus();
            resources.push(bus);
            sink = bus;
        }
        manager = MultiConnectionManager.builder(gatewayConfig).universes(universes).feedClients(feeds).sink(sink)
                .resources(shared).build();
        resources.push(manager);
        lastValues = LastValueStore.fromSettings(s);
        manager.addSink(lastValues); // before any later sink: the hand-over in LastValueStore relies on it
        manager.addHealthContributor(lastValues);
        scaling.attach(manager, resources); // node health snapshot + status changes to Redis
        manager.addHealthContributor(clients);
        if (capture != null) {
            manager.addHealthContributor(capture);
        }
        if (publisherHealth != null) {
            manager.addHealthContributor(publisherHealth);
            if (gate != null) {
                manager.addHealthContributor(gate);
            }
        } else {
            manager.addHealthContributor(bus);
        }
        // The dashboard takes ticks straight from the manager: its coalescer only stores the latest tick
        // per symbol without blocking, so it needs no queue or thread of its own on the feed path.
        MultiConnectionManager m = manager;
        Consumer<TickSink<? super MarketEvent>> tickSource = m::addSink;
        server = startServer(adminConfig, new ManagerGatewayView(manager, tickSource, demo, lastValues), shared.clock());
        resources.push(server);
        manager.addHealthContributor(server.stream());

        printBanner(out, adminConfig);
        boolean any = manager.connect();
        if (!any) {
            LOG.warn("No connection is connected yet; they keep retrying (see the dashboard)");
        }
    }

    /**
     * {@code ADMIN_HEALTH_SOURCE=redis}: this process runs no feed of its own; its dashboard shows every
     * gateway node that writes its health to the same Redis (one group of columns per node).
     */
    private void startAggregator(Settings s, AdminConfig adminConfig, PrintStream out) throws IOException {
        RedisConfig redis = RedisConfig.from(s).orElseThrow(() -> new io.tickstock.core.config.ConfigException(
                Scaling.HEALTH_SOURCE, "redis", "local unless REDIS_URL is set (redis reads the nodes from Redis)"));
        if (ClusterConfig.from(s).cluster()) {
            throw new io.tickstock.core.config.ConfigException(Scaling.HEALTH_SOURCE, "redis",
                    "local with REDIS_CLUSTER=true (the nodes' health lives in a standalone Redis)");
        }
        RedisConnector connector = RedisConnector.create(redis);
        resources.push(connector);
        RedisNodesGatewayView view = RedisNodesGatewayView.start(connector,
                s.getPositiveDuration(Scaling.HEALTH_POLL, java.time.Duration.ofSeconds(1)), shared.clock());
        resources.push(view);
        server = startServer(adminConfig, view, shared.clock());
        resources.push(server);
        LOG.info("Admin server showing every gateway node found in Redis {}", redis.redactedUrl());
        printBanner(out, adminConfig);
    }

    /** Starts the admin server; a port that is taken is reported naming its keys. */
    private static AdminServer startServer(AdminConfig c, io.tickstock.admin.gateway.GatewayView view, Clock clock)
            throws IOException {
        try {
            return AdminServer.start(c, view, clock);
        } catch (io.javalin.util.JavalinBindException e) {
            throw new IllegalStateException(AdminConfig.PORT + "=" + c.port() + " (" + AdminConfig.BIND + "=" + c.bind()
                    + "): the port is already in use; stop what listens there or choose another port", e);
        }
    }

    private void printBanner(PrintStream out, AdminConfig c) {
        String host = "0.0.0.0".equals(c.bind()) || "::".equals(c.bind()) ? "localhost" : c.bind();
        out.println();
        out.println("  TickStock gateway " + AdminMain.version() + (demo ? "  [DEMO MODE: synthetic data]" : ""));
        String base = "http://" + host + ":" + server.port();
        if (!c.dashboardEnabled()) {
            // nothing to open or log in to: say where health and metrics are instead of a URL that answers 404
            out.println("  Dashboard: disabled (" + AdminConfig.DASHBOARD_ENABLED + "=false); health " + base
                    + "/health, metrics " + base + "/metrics");
            out.println();
            out.flush();
            return;
        }
        out.println("  Dashboard: " + base + AdminServer.DASHBOARD_PATH);
        if (c.passwordGenerated()) {
            out.println("  Log in as '" + c.adminUsername() + "' with the generated password: "
                    + c.adminPassword().orElseThrow().reveal());
            out.println("  (shown once; set ADMIN_PASSWORD or ADMIN_USERS_FILE to choose your own)");
        }
        out.println();
        out.flush();
    }

    /** Demo layout: what the user did not configure is filled in; the key and URL always point at the emulator. */
    static Settings demoSettings(Settings s, String key, String url) {
        Map<String, String> m = new LinkedHashMap<>();
        putIfUnset(s, m, GatewayConfig.USE_MULTI_CONNECTION, "true");
        for (int n = 1; n <= DEMO_SLOTS.length; n++) {
            putIfUnset(s, m, GatewayConfig.slotKey(n, "ENABLED"), "true");
            putIfUnset(s, m, GatewayConfig.slotKey(n, "NAME"), DEMO_SLOTS[n - 1][0]);
            if (s.get(GatewayConfig.slotKey(n, "SYMBOLS")).isEmpty()) {
                putIfUnset(s, m, GatewayConfig.slotKey(n, "UNIVERSE_KEY"), DEMO_SLOTS[n - 1][1]);
            }
        }
        putIfUnset(s, m, MassiveConfig.CHANNELS, "T");
        m.put(MassiveConfig.API_KEY, key);
        m.put(MassiveConfig.URL, url);
        return s.with(m);
    }

    private static void putIfUnset(Settings s, Map<String, String> m, String key, String value) {
        if (s.get(key).isEmpty()) {
            m.put(key, value);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** Whether this is the demo (no {@code MASSIVE_API_KEY}: synthetic prices from the built-in emulator). */
    public boolean demo() {
        return demo;
    }

    /** What every published message says in {@code source}: {@code demo} for synthetic data, else the tick's own. */
    private String sourceLabel() {
        return demo ? TickJson.DEMO_SOURCE : null;
    }

    /** The admin server. */
    public AdminServer server() {
        return server;
    }

    /** The local manager; null when this process only shows nodes from Redis ({@code ADMIN_HEALTH_SOURCE=redis}). */
    public MultiConnectionManager manager() {
        return manager;
    }

    /** The latest trade and quote per ticker; null when this process only shows nodes from Redis. */
    public LastValueStore lastValues() {
        return lastValues;
    }

    /** The demo emulator; empty when connected to Massive. */
    public Optional<MassiveEmulator> emulator() {
        return Optional.ofNullable(emulator);
    }

    /** Stops dashboards, feeds, publisher (flushing it), bus and emulator, newest first. */
    @Override
    public synchronized void close() {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("Stopping {}: {}", r.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
