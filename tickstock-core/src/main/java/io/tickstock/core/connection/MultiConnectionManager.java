package io.tickstock.core.connection;

import io.tickstock.core.bus.TickSink;
import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.internal.dedup.EventDeduplicator;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.health.HealthContributor;
import io.tickstock.core.health.HealthStatus;
import io.tickstock.core.resources.TickStockResources;
import io.tickstock.core.universe.Tickers;
import io.tickstock.core.universe.UniverseResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Runs up to {@code WEBSOCKET_CONNECTIONS_MAX} feed connections as one: builds them from
 * configuration, connects them in parallel, places tickers on them, and delivers every event of
 * every connection exactly once to the sinks. Single-connection mode is the same manager with one
 * connection.
 *
 * <p>A slot configured with {@code *} carries the whole market: it subscribes {@code <channel>.*},
 * takes no named tickers, and covers tickers subscribed at run time without a named connection.
 *
 * <p>Parts: the {@code Dispatcher} (hot path), {@code Placement} (assignment, run-time subscribe,
 * unsubscribe and moves), {@code Failover}, {@code Rebalancer} and {@code HealthReport}. Concurrency:
 * events arrive on the clients' I/O threads and go through the dispatcher without blocking.
 * Placement changes, failover, rebalancing and the client calls that carry them out run one at a
 * time on a serial control queue, with no lock held; timers (rate sampling, health checks, failover
 * delay, acknowledgement timeouts) fire on the scheduler of the {@link TickStockResources} and hand
 * their work to that queue, and so do the continuations of client acknowledgements, which never run
 * on the client's I/O thread.
 */
public final class MultiConnectionManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MultiConnectionManager.class);

    private final GatewayConfig config;
    private final Connections connections;
    private final ControlQueue control;
    private final EventDeduplicator dedup;
    private final Dispatcher dispatcher;
    private final Placement placement;
    private final Failover failover;
    private final Rebalancer rebalancer;
    private final HealthReport health;
    private final List<StatusListener> statusListeners = new CopyOnWriteArrayList<>();
    private final TickStockResources resources;
    private final boolean ownsResources;
    private final LongSupplier nanoClock;
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>(); // guarded by itself
    private volatile boolean stopping = true;

    private MultiConnectionManager(Builder b) {
        this.config = b.config;
        this.ownsResources = b.resources == null;
        this.resources = ownsResources ? TickStockResources.create("tickstock-manager") : b.resources;
        this.nanoClock = b.nanoClock != null ? b.nanoClock : resources::nanoTime;
        this.control = new ControlQueue(resources.scheduler());
        this.statusListeners.addAll(b.statusListeners);
        this.dedup = new EventDeduplicator(config.symbolStateLimit());
        Map<String, LongAdder> eventsByTicker = config.autoRebalance() ? new ConcurrentHashMap<>() : null;
        List<ManagedConnection> slots = new ArrayList<>();
        for (ConnectionConfig slot : config.enabledSlots()) {
            slots.add(new ManagedConnection(slot, this, config.symbolStateLimit(), resources.clock()));
        }
        this.connections = new Connections(slots);
        this.dispatcher = new Dispatcher(dedup, eventsByTicker, b.sinks);
        this.placement = new Placement(config, connections, control, dedup, eventsByTicker);
        this.failover = new Failover(config, connections, placement, dedup, control);
        this.rebalancer = new Rebalancer(connections, placement, eventsByTicker, nanoClock);
        this.health = new HealthReport(config, connections, placement, failover, dispatcher, dedup, resources.clock(), control);
        placement.assignInitial(b.universes);
        for (ManagedConnection c : connections.all()) {
            c.client = Objects.requireNonNull(b.clients.create(c.config, c), "FeedClientFactory returned null");
        }
        if (connections.isEmpty()) {
            LOG.warn("No connection slot is enabled: nothing will be received");
        }
    }

    /** A builder for a manager over {@code config}; {@link Builder#feedClients} is required. */
    public static Builder builder(GatewayConfig config) {
        return new Builder(config);
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Connects every enabled connection in parallel (each with its tickers) and waits up to
     * {@code WEBSOCKET_CONNECT_TIMEOUT} for them.
     *
     * @return true if at least one connection is connected
     */
    public boolean connect() {
        if (connections.isEmpty()) {
            return false;
        }
        stopping = false;
        List<CompletableFuture<Void>> attempts = control.call(() -> {
            List<CompletableFuture<Void>> out = new ArrayList<>();
            for (ManagedConnection c : connections.all()) {
                out.add(startConnection(c));
            }
            return out;
        });
        try {
            CompletableFuture.allOf(attempts.toArray(new CompletableFuture[0]))
                    .get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("not every connection answered within {}; they keep trying in the background", config.connectTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e); // cannot happen: every attempt is handled
        }
        startPeriodicWork();
        return connections.all().stream().anyMatch(ManagedConnection::isConnected);
    }

    /** Control task: hands the client its tickers (sent after auth, replayed on every reconnect) and connects it. */
    private CompletableFuture<Void> startConnection(ManagedConnection c) {
        List<String> tickers = c.config.wholeMarket() ? List.of(ConnectionConfig.WHOLE_MARKET) : List.copyOf(c.tickers);
        CompletableFuture<Void> attempt;
        try {
            if (!tickers.isEmpty()) {
                c.client.subscribe(tickers);
            }
            attempt = c.client.connect();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        return attempt.handle((ok, error) -> {
            if (error != null) {
                String message = rootMessage(error);
                LOG.warn("{} failed to connect: {}", c.id, message);
                if (c.status() != ConnectionStatus.ERROR) {
                    c.transition(ConnectionStatus.ERROR, message); // a client that failed without saying so
                }
            }
            return null;
        });
    }

    /**
     * Disconnects every connection; they stay configured and can be connected again. Does not
     * block: the future completes when every client has closed its session (failures are logged).
     */
    public CompletableFuture<Void> disconnect() {
        stopping = true;
        synchronized (periodic) {
            periodic.forEach(f -> f.cancel(false));
            periodic.clear();
        }
        List<CompletableFuture<Void>> stopped = control.call(() -> {
            List<CompletableFuture<Void>> out = new ArrayList<>();
            for (ManagedConnection c : connections.all()) {
                CompletableFuture<Void> f;
                try {
                    f = c.client.disconnect();
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                c.transition(ConnectionStatus.DISCONNECTED, "stopped");
                out.add(f.handle((ok, e) -> {
                    if (e != null) {
                        LOG.warn("{} failed to disconnect cleanly: {}", c.id, rootMessage(e));
                    }
                    return null;
                }));
            }
            return out;
        });
        return CompletableFuture.allOf(stopped.toArray(new CompletableFuture[0]));
    }

    /** Drops and re-establishes one connection (operator action); the future completes once the new attempt started. */
    public CompletableFuture<Void> reconnect(String connectionId) {
        ManagedConnection c = connections.require(connectionId);
        return control.call(c.client::reconnect);
    }

    /** Disconnects (waiting up to {@code WEBSOCKET_CONNECT_TIMEOUT} for the sessions to close) and releases the clients. */
    @Override
    public void close() {
        try {
            disconnect().get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warn("not every connection closed within {}", config.connectTimeout());
        }
        for (ManagedConnection c : connections.all()) {
            try {
                c.client.close();
            } catch (RuntimeException e) {
                LOG.debug("{} close: {}", c.id, e.toString());
            }
        }
        if (ownsResources) {
            resources.close();
        }
    }

    private void startPeriodicWork() {
        synchronized (periodic) {
            if (!periodic.isEmpty()) {
                return;
            }
            long every = config.healthCheckInterval().toMillis();
            try {
                periodic.add(resources.scheduler().scheduleAtFixedRate(inControl("rate sampling", this::sampleRates),
                        0, 1000, TimeUnit.MILLISECONDS));
                periodic.add(resources.scheduler().scheduleAtFixedRate(inControl("health check", this::runHealthCheck),
                        every, every, TimeUnit.MILLISECONDS));
            } catch (RejectedExecutionException e) {
                LOG.warn("the shared scheduler is shut down; no periodic health checks");
            }
        }
    }

    /** A timer task that hands {@code task} to the control queue; a failure never cancels the schedule. */
    private Runnable inControl(String what, Runnable task) {
        return () -> control.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed", what, e);
            }
        });
    }

    // ---------------------------------------------------------------- events and status (client threads)

    void dispatch(ManagedConnection from, MarketEvent event) {
        dispatcher.dispatch(from, event);
    }

    void onStatusChange(ManagedConnection c, StatusChange change) {
        if (change.to() == ConnectionStatus.ERROR) {
            LOG.warn("{} {} -> error: {}", c.id, change.from().wireName(), change.message());
        } else {
            LOG.info("{} {} -> {}{}", c.id, change.from().wireName(), change.to().wireName(),
                    change.message() == null ? "" : " (" + change.message() + ")");
        }
        for (StatusListener l : statusListeners) {
            try {
                l.onStatusChange(change);
            } catch (RuntimeException e) {
                LOG.warn("status listener failed: {}", e.toString());
            }
        }
        if (stopping || !config.failoverEnabled()) {
            return;
        }
        if (change.to() == ConnectionStatus.ERROR || change.to() == ConnectionStatus.DISCONNECTED) {
            schedule(() -> failOverIfStillDown(c), config.failoverDelay());
        } else if (change.to() == ConnectionStatus.CONNECTED) {
            schedule(() -> failover.failBack(c), Duration.ZERO);
        }
    }

    private void failOverIfStillDown(ManagedConnection c) {
        if (!stopping) {
            failover.failOverIfStillDown(c);
        }
    }

    /** Runs {@code task} on the control queue after {@code delay} (at once, but never on the caller's stack, for zero). */
    private void schedule(Runnable task, Duration delay) {
        try {
            resources.scheduler().schedule(inControl("failover", task), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("manager closed; {} not scheduled", task);
        }
    }

    // ---------------------------------------------------------------- run-time subscriptions

    /** Subscribes tickers placed by the routing strategy. @return ticker → primary connection id */
    public Map<String, String> subscribe(Collection<String> tickers) {
        return subscribe(tickers, null);
    }

    /**
     * Subscribes tickers on the named connection ({@code null}: by the routing strategy). A ticker
     * already carried elsewhere is moved there, make-before-break. When a slot carries the whole
     * market, tickers without a named connection, or named to that slot, are already covered by it:
     * nothing is sent and tickers already placed elsewhere stay there.
     *
     * @return ticker → primary connection id (the target for moved tickers); tickers beyond
     *         {@code WEBSOCKET_SYMBOL_STATE_LIMIT} assigned ones are left out (logged, counted as overflow)
     * @throws IllegalArgumentException for an unknown or disabled connection id
     * @throws IllegalStateException when no connection is enabled
     */
    public Map<String, String> subscribe(Collection<String> tickers, String connectionId) {
        if (connectionId != null) {
            connections.require(connectionId);
        }
        if (connections.isEmpty()) {
            throw new IllegalStateException("no connection is enabled");
        }
        List<String> valid = Tickers.normalizeLogged(tickers, "subscribe");
        return control.call(() -> placement.subscribe(valid, connectionId));
    }

    /** Removes tickers from every connection carrying them and from the assignment. */
    public void unsubscribe(Collection<String> tickers) {
        List<String> valid = new ArrayList<>();
        for (String raw : tickers) {
            String t = Tickers.normalizeOne(raw);
            if (t != null) {
                valid.add(t);
            }
        }
        control.run(() -> {
            placement.unsubscribe(valid);
            failover.forget(valid);
        });
    }

    /**
     * Moves tickers to another connection, make-before-break: subscribe there, and only once the
     * server has acknowledged, unsubscribe the old one. Events seen on both during the overlap are
     * de-duplicated. If the acknowledgement does not come in time, both keep the ticker. The future
     * completes when the move is finished either way.
     */
    public CompletableFuture<Void> moveTickers(Collection<String> tickers, String toConnectionId) {
        ManagedConnection to = connections.require(toConnectionId);
        List<String> copy = List.copyOf(tickers);
        return control.call(() -> placement.move(copy, to));
    }

    // ---------------------------------------------------------------- periodic work

    /** Samples message counters for the windowed rates (every second). */
    void sampleRates() {
        control.run(() -> {
            long now = nanoClock.getAsLong();
            for (ManagedConnection c : connections.all()) {
                c.rate.sample(c.messageCount(), now);
            }
        });
    }

    /**
     * Looks for stale connections, retries failover for connections still down, and rebalances
     * when {@code WEBSOCKET_AUTO_REBALANCE} is on. Runs every {@code WEBSOCKET_HEALTH_CHECK_INTERVAL}.
     */
    public void runHealthCheck() {
        control.run(this::healthCheck);
    }

    private void healthCheck() {
        long nowMillis = resources.clock().millis();
        long staleAfter = config.staleConnectionThreshold().toMillis();
        for (ManagedConnection c : connections.all()) {
            Instant since = c.connectedSince();
            long last = Math.max(c.lastMessageMillis(), since == null ? 0 : since.toEpochMilli());
            boolean stale = c.isConnected() && !c.tickers.isEmpty() && nowMillis - last > staleAfter;
            if (stale && !c.stale()) {
                LOG.warn("{} is connected but silent for over {} (market closed, or a stuck session)",
                        c.id, config.staleConnectionThreshold());
            }
            c.markStale(stale);
            if (!stopping && config.failoverEnabled() && !c.isConnected()) {
                failover.failOverIfStillDown(c);
            }
        }
        dedup.sweep();
        if (config.autoRebalance() && !stopping) {
            rebalancer.rebalance();
        }
    }

    /** Moves tickers from the busiest to the quietest connection until measured rates are within 20 %. */
    void rebalance() {
        control.run(rebalancer::rebalance);
    }

    // ---------------------------------------------------------------- queries

    /** A consistent snapshot: totals are the sums of the per-connection figures read in the same pass. */
    public HealthStatus getHealthStatus() {
        return health.snapshot();
    }

    /** Every configured slot, disabled ones included (with zero figures), in slot order. */
    public List<ConnectionInfo> getConnections() {
        return health.connectionInfos();
    }

    /** One slot's snapshot; empty for an unknown or disabled id. */
    public Optional<ConnectionInfo> getConnection(String connectionId) {
        ManagedConnection c = connections.get(connectionId);
        return c == null ? Optional.empty() : Optional.of(HealthReport.info(c));
    }

    /**
     * The primary connection of a ticker: where it is placed by name, else the whole-market slot
     * (for any valid ticker); empty if nothing carries it. Lock-free.
     */
    public Optional<String> getTickerAssignment(String ticker) {
        Optional<String> placed = placement.primaryOf(ticker);
        ManagedConnection wholeMarketSlot = connections.wholeMarketSlot();
        if (placed.isPresent() || wholeMarketSlot == null || !Tickers.isValid(ticker)) {
            return placed;
        }
        return Optional.of(wholeMarketSlot.id);
    }

    /** Every connection carrying the ticker, primary first, the whole-market slot last. */
    public List<String> getTickerConnections(String ticker) {
        List<String> placed = placement.connectionsOf(ticker);
        ManagedConnection wholeMarketSlot = connections.wholeMarketSlot();
        if (wholeMarketSlot == null || !Tickers.isValid(ticker)) {
            return placed;
        }
        List<String> all = new ArrayList<>(placed);
        all.add(wholeMarketSlot.id);
        return List.copyOf(all);
    }

    /** Tickers the connection carries (primary, redundant or standing in), sorted. */
    public Set<String> getConnectionTickers(String connectionId) {
        return Collections.unmodifiableSet(new TreeSet<>(connections.require(connectionId).tickers));
    }

    /** Tickers carried on two connections at once ({@code WEBSOCKET_REDUNDANT_SYMBOLS}). */
    public Set<String> getRedundantTickers() {
        return placement.redundant();
    }

    /** The configuration this manager was built with. */
    public GatewayConfig config() {
        return config;
    }

    /** Adds a sink for every de-duplicated event; called on the feed's I/O threads, so it must not block. */
    public void addSink(TickSink<? super MarketEvent> sink) {
        dispatcher.addSink(Objects.requireNonNull(sink));
    }

    /** Adds a listener for every accepted connection status transition. */
    public void addStatusListener(StatusListener listener) {
        statusListeners.add(listener);
    }

    /** Adds a component whose figures appear in {@link #getHealthStatus()} under its name. */
    public void addHealthContributor(HealthContributor contributor) {
        health.addContributor(contributor);
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while ((root instanceof java.util.concurrent.CompletionException
                || root instanceof java.util.concurrent.ExecutionException) && root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** Assembles a manager; the config and a client factory are required. */
    public static final class Builder {
        private final GatewayConfig config;
        private UniverseResolver universes = UniverseResolver.bundled();
        private FeedClientFactory clients;
        private final List<TickSink<? super MarketEvent>> sinks = new ArrayList<>();
        private final List<StatusListener> statusListeners = new ArrayList<>();
        private LongSupplier nanoClock;
        private TickStockResources resources;

        private Builder(GatewayConfig config) {
            this.config = Objects.requireNonNull(config);
        }

        /** Where universe keys are looked up (default: the bundled samples). */
        public Builder universes(UniverseResolver universes) {
            this.universes = Objects.requireNonNull(universes);
            return this;
        }

        /** Makes one feed client per enabled slot (required). */
        public Builder feedClients(FeedClientFactory clients) {
            this.clients = Objects.requireNonNull(clients);
            return this;
        }

        /** The single callback every de-duplicated event goes to (more can be added later). */
        public Builder sink(TickSink<? super MarketEvent> sink) {
            sinks.add(Objects.requireNonNull(sink));
            return this;
        }

        /** A listener for every accepted connection status transition (more can be added later). */
        public Builder statusListener(StatusListener listener) {
            statusListeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /**
         * Shared clock and scheduler (borrowed: the manager never closes them). Without it the
         * manager creates its own, with one "tickstock-manager" thread, and closes them on {@link #close()}.
         */
        public Builder resources(TickStockResources resources) {
            this.resources = Objects.requireNonNull(resources);
            return this;
        }

        /** The clock for rate measurement (tests); defaults to the resources' {@code nanoTime}. */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock);
            return this;
        }

        /** The manager, not yet connected; placement is computed and the clients created. */
        public MultiConnectionManager build() {
            Objects.requireNonNull(clients, "feedClients(...) is required");
            return new MultiConnectionManager(this);
        }
    }
}
