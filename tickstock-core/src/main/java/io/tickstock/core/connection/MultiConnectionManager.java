package io.tickstock.core.connection;

import io.tickstock.core.bus.TickSink;
import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.dedup.EventDeduplicator;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.health.ConnectionHealth;
import io.tickstock.core.health.HealthContributor;
import io.tickstock.core.health.HealthStatus;
import io.tickstock.core.routing.RouteCandidate;
import io.tickstock.core.routing.RoutingStrategy;
import io.tickstock.core.routing.TickerAssignment;
import io.tickstock.core.routing.TickerRouter;
import io.tickstock.core.universe.Tickers;
import io.tickstock.core.universe.UniverseResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * <p>Concurrency: events arrive on the clients' I/O threads and go through {@link #dispatch}
 * without blocking (counters, one small per-symbol lock in the de-duplicator for tickers carried
 * twice, the sinks). Changes
 * to ticker placement are serialized by {@link #control}. Periodic work (rate sampling, health
 * checks, failover, rebalancing) runs on one scheduler thread.
 */
public final class MultiConnectionManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MultiConnectionManager.class);

    private final GatewayConfig config;
    private final Map<String, ManagedConnection> connections; // enabled slots, slot order, fixed after build
    private final TickerAssignment assignment = new TickerAssignment();
    private final Set<String> redundant;
    private final TickerRouter router;
    private final TickerRouter failoverRouter = RoutingStrategy.MANUAL.newRouter();
    private final EventDeduplicator dedup;
    /** The slot configured with {@code *}, or null. */
    private final ManagedConnection wholeMarketSlot;
    /** Delivered events per assigned ticker, kept only when auto-rebalance needs measured rates. */
    private final Map<String, LongAdder> eventsByTicker;
    private final Object control = new Object();
    /** Down connection id → (ticker → connection standing in for it). Guarded by {@link #control}. */
    private final Map<String, Map<String, String>> failedOver = new HashMap<>();
    private final List<StatusListener> statusListeners = new CopyOnWriteArrayList<>();
    private final List<HealthContributor> contributors = new CopyOnWriteArrayList<>();
    private volatile TickSink<? super MarketEvent>[] sinks;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder unsubscribedDropped = new LongAdder();
    private final LongAdder assignmentOverflow = new LongAdder();
    private final LongAdder sinkErrors = new LongAdder();
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();
    private volatile boolean stopping = true;
    private Map<String, Long> lastSymbolCounts = Map.of();
    private long lastRebalanceNanos;

    private MultiConnectionManager(Builder b) {
        this.config = b.config;
        this.router = config.routingStrategy().newRouter();
        this.sinks = toArray(b.sinks);
        this.statusListeners.addAll(b.statusListeners);
        this.nanoClock = b.nanoClock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tickstock-manager");
            t.setDaemon(true);
            return t;
        });
        this.dedup = new EventDeduplicator(config.symbolStateLimit());
        this.eventsByTicker = config.autoRebalance() ? new java.util.concurrent.ConcurrentHashMap<>() : null;
        Map<String, ManagedConnection> conns = new LinkedHashMap<>();
        for (ConnectionConfig slot : config.enabledSlots()) {
            conns.put(slot.id(), new ManagedConnection(slot, this, config.symbolStateLimit()));
        }
        this.connections = Collections.unmodifiableMap(conns);
        this.wholeMarketSlot = conns.values().stream().filter(c -> c.config.wholeMarket()).findFirst().orElse(null);
        assignInitialTickers(b.universes);
        this.redundant = Collections.unmodifiableSet(assignRedundant());
        for (ManagedConnection c : connections.values()) {
            c.client = Objects.requireNonNull(b.clients.create(c.config, c), "FeedClientFactory returned null");
        }
        if (connections.isEmpty()) {
            LOG.warn("No connection slot is enabled: nothing will be received");
        }
    }

    public static Builder builder(GatewayConfig config) {
        return new Builder(config);
    }

    // ---------------------------------------------------------------- build-time placement

    private void assignInitialTickers(UniverseResolver universes) {
        for (ManagedConnection c : connections.values()) {
            if (c.config.wholeMarket()) {
                LOG.info("{} ({}): the whole market (*)", c.id, c.config.name());
                continue;
            }
            SlotTickers slotTickers = tickersFor(c.config, universes);
            List<String> tickers = slotTickers.tickers();
            if (tickers.isEmpty()) {
                LOG.warn("{} ({}): universe and symbols are both empty; it has no tickers", c.id, c.config.name());
            }
            int overlap = 0;
            for (String t : tickers) {
                if (assignment.contains(t)) {
                    overlap++;
                } else {
                    place(t, c);
                }
            }
            if (overlap > 0) {
                LOG.warn("{}: {} already on an earlier connection, left there "
                        + "(list in WEBSOCKET_REDUNDANT_SYMBOLS to carry on both)", c.id, Tickers.count(overlap));
            }
            if (!tickers.isEmpty()) { // an empty slot was warned about above
                LOG.info("{} ({}): {} from {}", c.id, c.config.name(), Tickers.count(c.tickers.size()),
                        slotTickers.source());
            }
        }
    }

    /** A slot's initial tickers and, for the log, where they came from. */
    private record SlotTickers(List<String> tickers, String source) {
    }

    /** Slot universe, else slot symbols; in single mode also SYMBOL_UNIVERSE_KEY, then the default list. */
    private SlotTickers tickersFor(ConnectionConfig slot, UniverseResolver universes) {
        String origin = GatewayConfig.slotKey(slot.index(), "SYMBOLS");
        if (slot.universeKey().isPresent()) {
            Optional<UniverseResolver.Resolved> r = universes.resolve(slot.universeKey().get());
            if (r.isPresent()) {
                return new SlotTickers(r.get().tickers(), "universe:" + slot.universeKey().get());
            }
            LOG.warn("{}: universe '{}' is unknown or empty; falling back to {}", slot.id(),
                    slot.universeKey().get(), origin);
        }
        List<String> symbols = Tickers.normalizeLogged(slot.symbols(), origin);
        if (!symbols.isEmpty() || config.multiConnection()) {
            return new SlotTickers(symbols, "symbols:" + String.join(",", symbols));
        }
        if (config.symbolUniverseKey().isPresent()) {
            Optional<UniverseResolver.Resolved> r = universes.resolve(config.symbolUniverseKey().get());
            if (r.isPresent()) {
                return new SlotTickers(r.get().tickers(), "universe:" + config.symbolUniverseKey().get()
                        + " (" + GatewayConfig.SYMBOL_UNIVERSE_KEY + ")");
            }
            LOG.warn("{} '{}' is unknown or empty; using the default tickers", GatewayConfig.SYMBOL_UNIVERSE_KEY,
                    config.symbolUniverseKey().get());
        }
        return new SlotTickers(GatewayConfig.DEFAULT_TICKERS, "the default list");
    }

    private Set<String> assignRedundant() {
        Set<String> out = new LinkedHashSet<>();
        List<String> wanted = Tickers.normalizeLogged(config.redundantSymbols(), GatewayConfig.REDUNDANT_SYMBOLS);
        if (wanted.isEmpty()) {
            return out;
        }
        List<ManagedConnection> named = namedSlots();
        int copies = named.size() + (wholeMarketSlot == null ? 0 : 1);
        if (copies < 2) {
            LOG.warn("{} needs two enabled connections; tickers are carried once", GatewayConfig.REDUNDANT_SYMBOLS);
        }
        for (String t : wanted) {
            if (named.isEmpty()) {
                break; // only the whole-market slot: it carries them once
            }
            if (!assignment.contains(t)) {
                place(t, connections.get(router.route(t, candidates())));
            }
            if (copies >= 2) {
                out.add(t);
            }
            if (named.size() >= 2) {
                String primary = assignment.primaryOf(t).orElseThrow();
                ManagedConnection second = named.stream()
                        .filter(c -> !c.id.equals(primary))
                        .min((a, b) -> a.tickers.size() != b.tickers.size()
                                ? Integer.compare(a.tickers.size(), b.tickers.size())
                                : Integer.compare(a.config.index(), b.config.index()))
                        .orElseThrow();
                place(t, second);
            }
        }
        return out;
    }

    /** Enabled slots that take named tickers: every one but a whole-market slot. */
    private List<ManagedConnection> namedSlots() {
        return connections.values().stream().filter(c -> !c.config.wholeMarket()).toList();
    }

    /** Records that {@code c} carries {@code t}. Caller holds {@link #control} or is the constructor. */
    private void place(String t, ManagedConnection c) {
        c.tickers.add(t);
        assignment.add(t, c.id);
        if (eventsByTicker != null) {
            eventsByTicker.putIfAbsent(t, new LongAdder());
        }
        refreshSharing(t);
    }

    private void unplace(String t, ManagedConnection c) {
        c.tickers.remove(t);
        assignment.remove(t, c.id);
        if (eventsByTicker != null && !assignment.contains(t)) {
            eventsByTicker.remove(t);
        }
        refreshSharing(t);
    }

    /**
     * De-duplicates a ticker exactly while it can arrive twice: on two connections (redundant, moving,
     * failed over) or beside a whole-market slot. A ticker on one connection keeps no window.
     */
    private void refreshSharing(String t) {
        int carriers = assignment.connectionsOf(t).size();
        if (carriers >= 2 || carriers == 1 && wholeMarketSlot != null) {
            if (!dedup.share(t)) {
                LOG.warn("per-symbol state is full ({} = {}); {} is not de-duplicated",
                        GatewayConfig.SYMBOL_STATE_LIMIT, config.symbolStateLimit(), t);
            }
        } else {
            dedup.unshare(t);
        }
    }

    /** Slots that routing may place a ticker on: the named-ticker slots. */
    private List<RouteCandidate> candidates() {
        List<RouteCandidate> out = new ArrayList<>(connections.size());
        for (ManagedConnection c : namedSlots()) {
            out.add(new RouteCandidate(c.id, c.config.index(), c.isConnected(), c.tickers.size(), c.rate.rate()));
        }
        return out;
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
        List<CompletableFuture<Void>> attempts = new ArrayList<>();
        for (ManagedConnection c : connections.values()) {
            List<String> tickers = c.config.wholeMarket() ? List.of(ConnectionConfig.WHOLE_MARKET) : List.copyOf(c.tickers);
            CompletableFuture<Void> attempt;
            try {
                if (!tickers.isEmpty()) {
                    c.client.subscribe(tickers); // sent after auth; the client replays it on every reconnect
                }
                attempt = c.client.connect();
            } catch (RuntimeException e) {
                attempt = CompletableFuture.failedFuture(e);
            }
            attempts.add(attempt.handle((ok, error) -> {
                if (error != null) {
                    String message = rootMessage(error);
                    LOG.warn("{} failed to connect: {}", c.id, message);
                    if (c.status() != ConnectionStatus.ERROR) {
                        c.transition(ConnectionStatus.ERROR, message); // a client that failed without saying so
                    }
                }
                return null;
            }));
        }
        try {
            CompletableFuture.allOf(attempts.toArray(new CompletableFuture[0]))
                    .get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("not every connection answered within {}; they keep trying in the background", config.connectTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e); // cannot happen: every attempt is handled above
        }
        startPeriodicWork();
        return connections.values().stream().anyMatch(ManagedConnection::isConnected);
    }

    /** Disconnects every connection; they stay configured and can be connected again. */
    public void disconnect() {
        stopping = true;
        synchronized (periodic) {
            periodic.forEach(f -> f.cancel(false));
            periodic.clear();
        }
        for (ManagedConnection c : connections.values()) {
            try {
                c.client.disconnect();
            } catch (RuntimeException e) {
                LOG.warn("{} failed to disconnect cleanly: {}", c.id, e.toString());
            }
            c.transition(ConnectionStatus.DISCONNECTED, "stopped");
        }
    }

    /** Drops and re-establishes one connection (operator action). */
    public void reconnect(String connectionId) {
        connection(connectionId).client.reconnect();
    }

    @Override
    public void close() {
        disconnect();
        for (ManagedConnection c : connections.values()) {
            try {
                c.client.close();
            } catch (RuntimeException e) {
                LOG.debug("{} close: {}", c.id, e.toString());
            }
        }
        scheduler.shutdownNow();
    }

    private void startPeriodicWork() {
        synchronized (periodic) {
            if (!periodic.isEmpty()) {
                return;
            }
            periodic.add(scheduler.scheduleAtFixedRate(guarded("rate sampling", this::sampleRates),
                    0, 1, TimeUnit.SECONDS));
            long every = config.healthCheckInterval().toMillis();
            periodic.add(scheduler.scheduleAtFixedRate(guarded("health check", this::runHealthCheck),
                    every, every, TimeUnit.MILLISECONDS));
        }
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed", what, e); // never let one failure cancel the schedule
            }
        };
    }

    // ---------------------------------------------------------------- hot path

    /**
     * Drops events of tickers the connection does not carry, de-duplicates shared tickers and
     * delivers the rest. Runs on the client's I/O thread.
     */
    void dispatch(ManagedConnection from, MarketEvent event) {
        String symbol = event.symbol();
        if (symbol == null || !from.carries(symbol)) {
            unsubscribedDropped.increment(); // a server that ignores unsubscribe, or a straggler of a move
            return;
        }
        if (from.seen != null) {
            from.seen.record(symbol);
        }
        if (!dedup.accept(event)) {
            return;
        }
        delivered.increment();
        if (eventsByTicker != null) {
            LongAdder n = eventsByTicker.get(symbol);
            if (n != null) {
                n.increment();
            }
        }
        for (TickSink<? super MarketEvent> sink : sinks) {
            try {
                sink.accept(event);
            } catch (RuntimeException e) {
                sinkErrors.increment();
                if (sinkErrors.sum() <= 10) {
                    LOG.warn("tick sink failed (further failures counted as sink_errors): {}", e.toString());
                }
            }
        }
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
            schedule(() -> failBack(c), Duration.ZERO);
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(guarded("failover", task), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
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
            connection(connectionId);
        }
        if (connections.isEmpty()) {
            throw new IllegalStateException("no connection is enabled");
        }
        List<String> valid = Tickers.normalizeLogged(tickers, "subscribe");
        Map<String, String> result = new LinkedHashMap<>();
        Map<ManagedConnection, List<String>> toSend = new LinkedHashMap<>();
        List<String> toMove = new ArrayList<>();
        int refused = 0;
        boolean covered = wholeMarketSlot != null
                && (connectionId == null || connectionId.equals(wholeMarketSlot.id));
        synchronized (control) {
            for (String t : valid) {
                Optional<String> current = assignment.primaryOf(t);
                if (covered) {
                    result.put(t, current.orElse(wholeMarketSlot.id));
                    continue;
                }
                if (current.isEmpty() && assignment.size() >= config.symbolStateLimit()) {
                    refused++;
                    continue;
                }
                if (current.isPresent()) {
                    if (connectionId != null && !current.get().equals(connectionId)) {
                        toMove.add(t);
                        result.put(t, connectionId);
                    } else {
                        result.put(t, current.get());
                    }
                    continue;
                }
                ManagedConnection target = connections.get(connectionId != null ? connectionId
                        : router.route(t, candidates()));
                place(t, target);
                toSend.computeIfAbsent(target, k -> new ArrayList<>()).add(t);
                result.put(t, target.id);
            }
        }
        if (refused > 0) {
            assignmentOverflow.add(refused);
            LOG.warn("{} tickers not subscribed: {} = {} tickers are assigned already", refused,
                    GatewayConfig.SYMBOL_STATE_LIMIT, config.symbolStateLimit());
        }
        toSend.forEach((c, list) -> c.client.subscribe(list));
        if (!toMove.isEmpty()) {
            moveTickers(toMove, connectionId);
        }
        return result;
    }

    /** Removes tickers from every connection carrying them and from the assignment. */
    public void unsubscribe(Collection<String> tickers) {
        Map<ManagedConnection, List<String>> toSend = new LinkedHashMap<>();
        synchronized (control) {
            for (String raw : tickers) {
                String t = Tickers.normalizeOne(raw);
                if (t == null) {
                    continue;
                }
                for (String id : assignment.connectionsOf(t)) {
                    ManagedConnection c = connections.get(id);
                    unplace(t, c);
                    toSend.computeIfAbsent(c, k -> new ArrayList<>()).add(t);
                }
                failedOver.values().forEach(m -> m.remove(t));
            }
        }
        toSend.forEach((c, list) -> c.client.unsubscribe(list));
    }

    /**
     * Moves tickers to another connection, make-before-break: subscribe there, and only once the
     * server has acknowledged, unsubscribe the old one. Events seen on both during the overlap are
     * de-duplicated. If the acknowledgement does not come in time, both keep the ticker.
     */
    public CompletableFuture<Void> moveTickers(Collection<String> tickers, String toConnectionId) {
        ManagedConnection to = connection(toConnectionId);
        if (to.config.wholeMarket()) {
            return CompletableFuture.completedFuture(null); // it carries them already; nothing to move
        }
        Map<String, String> from = new LinkedHashMap<>();
        synchronized (control) {
            for (String raw : tickers) {
                String t = Tickers.normalizeOne(raw);
                Optional<String> primary = t == null ? Optional.empty() : assignment.primaryOf(t);
                if (primary.isPresent() && !primary.get().equals(to.id)) {
                    from.put(t, primary.get());
                    place(t, to);
                }
            }
        }
        if (from.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return to.client.subscribe(List.copyOf(from.keySet()))
                .orTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, error) -> {
                    if (error != null) {
                        LOG.warn("move to {} not acknowledged ({}); {} left on both connections",
                                to.id, rootMessage(error), Tickers.count(from.size()));
                        return null;
                    }
                    Map<ManagedConnection, List<String>> release = new LinkedHashMap<>();
                    synchronized (control) {
                        from.forEach((t, oldId) -> {
                            if (!assignment.connectionsOf(t).contains(to.id)) {
                                return; // unsubscribed meanwhile
                            }
                            assignment.makePrimary(t, to.id);
                            if (!redundant.contains(t)) {
                                ManagedConnection old = connections.get(oldId);
                                unplace(t, old);
                                release.computeIfAbsent(old, k -> new ArrayList<>()).add(t);
                            }
                        });
                    }
                    release.forEach((c, list) -> c.client.unsubscribe(list));
                    return null;
                });
    }

    // ---------------------------------------------------------------- failover

    /**
     * Moves the tickers only {@code down} carries onto healthy connections while it stays down. A
     * down whole-market slot fails over as a whole: one healthy connection subscribes {@code *} too,
     * and every symbol is de-duplicated until the slot is back.
     */
    private void failOverIfStillDown(ManagedConnection down) {
        Map<ManagedConnection, List<String>> toSend = new LinkedHashMap<>();
        synchronized (control) {
            if (stopping || down.isConnected()) {
                return;
            }
            List<ManagedConnection> healthy = connections.values().stream()
                    .filter(c -> c != down && c.isConnected()).toList();
            if (healthy.isEmpty()) {
                LOG.warn("{} is down and no other connection is up; its tickers wait for it", down.id);
                return;
            }
            Map<String, String> covered = failedOver.computeIfAbsent(down.id, k -> new HashMap<>());
            if (down.config.wholeMarket() && !covered.containsKey(ConnectionConfig.WHOLE_MARKET)) {
                ManagedConnection helper = connections.get(failoverRouter.route(ConnectionConfig.WHOLE_MARKET,
                        healthy.stream().map(c -> new RouteCandidate(c.id, c.config.index(), true, c.tickers.size(),
                                c.rate.rate())).toList()));
                dedup.shareAll(true); // before the helper's first whole-market event
                helper.wholeMarket = true;
                covered.put(ConnectionConfig.WHOLE_MARKET, helper.id);
                toSend.put(helper, List.of(ConnectionConfig.WHOLE_MARKET));
            }
            boolean wholeMarketUp = healthy.stream().anyMatch(c -> c.wholeMarket);
            for (String t : new TreeSet<>(down.tickers)) {
                boolean servedElsewhere = wholeMarketUp || assignment.connectionsOf(t).stream()
                        .anyMatch(id -> !id.equals(down.id) && connections.get(id).isConnected());
                if (servedElsewhere || covered.containsKey(t)) {
                    continue;
                }
                List<RouteCandidate> options = new ArrayList<>();
                for (ManagedConnection c : healthy) {
                    options.add(new RouteCandidate(c.id, c.config.index(), true, c.tickers.size(), c.rate.rate()));
                }
                ManagedConnection helper = connections.get(failoverRouter.route(t, options));
                place(t, helper);
                covered.put(t, helper.id);
                toSend.computeIfAbsent(helper, k -> new ArrayList<>()).add(t);
            }
        }
        toSend.forEach((c, list) -> {
            LOG.warn("failover: {} of {} now also on {}", Tickers.count(list.size()), down.id, c.id);
            c.client.subscribe(list);
        });
    }

    /** Once {@code back} has its tickers acknowledged again, releases the connections that stood in. */
    private void failBack(ManagedConnection back) {
        Map<String, String> covered;
        synchronized (control) {
            covered = failedOver.remove(back.id);
        }
        if (covered == null || covered.isEmpty()) {
            return;
        }
        back.client.subscribe(List.copyOf(covered.keySet()))
                .orTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.warn("{} back but resubscription not acknowledged; failover kept", back.id);
                        synchronized (control) {
                            failedOver.merge(back.id, covered, (a, b) -> {
                                a.putAll(b);
                                return a;
                            });
                        }
                        return;
                    }
                    Map<ManagedConnection, List<String>> release = new LinkedHashMap<>();
                    synchronized (control) {
                        covered.forEach((t, helperId) -> {
                            ManagedConnection helper = connections.get(helperId);
                            if (t.equals(ConnectionConfig.WHOLE_MARKET)) {
                                helper.wholeMarket = false; // its stragglers now count as unsubscribed
                                dedup.shareAll(false);
                                release.computeIfAbsent(helper, k -> new ArrayList<>()).add(t);
                            } else if (assignment.connectionsOf(t).contains(helperId) && !redundant.contains(t)) {
                                unplace(t, helper);
                                release.computeIfAbsent(helper, k -> new ArrayList<>()).add(t);
                            }
                        });
                    }
                    release.forEach((c, list) -> {
                        LOG.info("failback: {} back from {} to {}", Tickers.count(list.size()), c.id, back.id);
                        c.client.unsubscribe(list);
                    });
                });
    }

    // ---------------------------------------------------------------- periodic work

    /** Samples message counters for the windowed rates (every second). */
    void sampleRates() {
        long now = nanoClock.getAsLong();
        for (ManagedConnection c : connections.values()) {
            c.rate.sample(c.messageCount(), now);
        }
    }

    /**
     * Looks for stale connections, retries failover for connections still down, and rebalances
     * when {@code WEBSOCKET_AUTO_REBALANCE} is on. Runs every {@code WEBSOCKET_HEALTH_CHECK_INTERVAL}.
     */
    public void runHealthCheck() {
        long nowMillis = System.currentTimeMillis();
        long staleAfter = config.staleConnectionThreshold().toMillis();
        for (ManagedConnection c : connections.values()) {
            Instant since = c.connectedSince();
            long last = Math.max(c.lastMessageMillis(), since == null ? 0 : since.toEpochMilli());
            boolean stale = c.isConnected() && !c.tickers.isEmpty() && nowMillis - last > staleAfter;
            if (stale && !c.stale()) {
                LOG.warn("{} is connected but silent for over {} (market closed, or a stuck session)",
                        c.id, config.staleConnectionThreshold());
            }
            c.markStale(stale);
            if (!stopping && config.failoverEnabled() && !c.isConnected()) {
                failOverIfStillDown(c);
            }
        }
        dedup.sweep();
        if (config.autoRebalance() && !stopping) {
            rebalance();
        }
    }

    /** Moves tickers from the busiest to the quietest connection until measured rates are within 20 %. */
    void rebalance() {
        if (eventsByTicker == null) {
            return; // counted only when WEBSOCKET_AUTO_REBALANCE is on
        }
        Map<String, Long> counts = new HashMap<>();
        eventsByTicker.forEach((t, n) -> counts.put(t, n.sum()));
        long now = nanoClock.getAsLong();
        double seconds = lastRebalanceNanos == 0 ? 0 : (now - lastRebalanceNanos) / 1e9;
        Map<String, Long> previous = lastSymbolCounts;
        lastSymbolCounts = counts;
        lastRebalanceNanos = now;
        if (seconds <= 0) {
            return;
        }
        Map<String, Double> symbolRate = new HashMap<>();
        counts.forEach((s, n) -> symbolRate.put(s, (n - previous.getOrDefault(s, 0L)) / seconds));
        Map<ManagedConnection, List<String>> moves = new LinkedHashMap<>();
        synchronized (control) {
            List<ManagedConnection> up = namedSlots().stream().filter(ManagedConnection::isConnected).toList();
            if (up.size() < 2) {
                return;
            }
            Map<ManagedConnection, Double> load = new HashMap<>();
            Map<ManagedConnection, List<String>> movable = new HashMap<>();
            for (ManagedConnection c : up) {
                List<String> mine = c.tickers.stream()
                        .filter(t -> !redundant.contains(t) && assignment.connectionsOf(t).size() == 1)
                        .sorted().toList();
                movable.put(c, new ArrayList<>(mine));
                load.put(c, mine.stream().mapToDouble(t -> symbolRate.getOrDefault(t, 0.0)).sum());
            }
            for (int step = 0; step < 100; step++) {
                ManagedConnection busiest = Collections.max(up, (a, b) -> Double.compare(load.get(a), load.get(b)));
                ManagedConnection quietest = Collections.min(up, (a, b) -> Double.compare(load.get(a), load.get(b)));
                double gap = load.get(busiest) - load.get(quietest);
                double mean = load.values().stream().mapToDouble(Double::doubleValue).sum() / up.size();
                if (gap <= 0.2 * mean) {
                    break;
                }
                String best = null;
                double bestRate = 0;
                for (String t : movable.get(busiest)) {
                    double r = symbolRate.getOrDefault(t, 0.0);
                    if (r > 0 && r < gap && Math.abs(gap / 2 - r) < Math.abs(gap / 2 - bestRate)) {
                        best = t;
                        bestRate = r;
                    }
                }
                if (best == null) {
                    break;
                }
                movable.get(busiest).remove(best);
                load.merge(busiest, -bestRate, Double::sum);
                load.merge(quietest, bestRate, Double::sum);
                moves.computeIfAbsent(quietest, k -> new ArrayList<>()).add(best);
            }
        }
        moves.forEach((to, list) -> {
            LOG.info("rebalance: moving {} to {}", list, to.id);
            moveTickers(list, to.id);
        });
    }

    // ---------------------------------------------------------------- queries

    /** A consistent snapshot: totals are the sums of the per-connection figures read in the same pass. */
    public HealthStatus getHealthStatus() {
        // Every delivered or duplicate event was counted as received first, so reading these before the
        // message counts keeps one snapshot consistent (delivered + duplicates never above received).
        long deliveredCount = delivered.sum();
        EventDeduplicator.Figures d = dedup.figures();
        long unsubscribedCount = unsubscribedDropped.sum();
        Map<String, ConnectionHealth> byId = new LinkedHashMap<>();
        int connected = 0;
        long ticks = 0;
        long errors = 0;
        for (ManagedConnection c : connections.values()) {
            long messages = c.messageCount();
            long errs = c.errorCount();
            long last = c.lastMessageMillis();
            Instant since = c.connectedSince();
            ConnectionStatus status = c.status();
            if (status == ConnectionStatus.CONNECTED) {
                connected++;
            }
            ticks += messages;
            errors += errs;
            byId.put(c.id, new ConnectionHealth(c.config.name(), status.wireName(), tickerCount(c), messages, errs,
                    last == 0 ? null : last / 1000.0, round2(c.rate.rate()), c.lastError(),
                    since == null ? null : since.toEpochMilli() / 1000.0, c.config.priority(), c.stale()));
        }
        int seen = wholeMarketSlot == null ? 0 : wholeMarketSlot.seen.count();
        long seenOverflow = wholeMarketSlot == null ? 0 : wholeMarketSlot.seen.overflow();
        Map<String, Map<String, Object>> components = new LinkedHashMap<>();
        components.put("routing", routingHealth());
        for (HealthContributor h : contributors) {
            try {
                components.put(h.healthName(), h.health());
            } catch (RuntimeException e) {
                components.put(h.healthName(), Map.of("error", e.toString()));
            }
        }
        return new HealthStatus(connections.size(), connected, ticks, errors, byId, deliveredCount,
                new HealthStatus.SequenceFigures(d.duplicatesDropped(), d.lateEventsDropped(), d.outOfOrderEvents(),
                        d.sequenceRestarts()),
                unsubscribedCount,
                new HealthStatus.SymbolStateFigures(d.trackedSymbols() + seen, d.limit(),
                        d.overflow() + seenOverflow + assignmentOverflow.sum()),
                sinkErrors.sum(), components, System.currentTimeMillis() / 1000.0);
    }

    private Map<String, Object> routingHealth() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("strategy", config.routingStrategy().wireName());
        m.put("assigned_tickers", assignment.size());
        m.put("redundant_tickers", redundant.size());
        m.put("whole_market_connection", wholeMarketSlot == null ? null : wholeMarketSlot.id);
        Map<String, Object> failover = new LinkedHashMap<>();
        synchronized (control) {
            failedOver.forEach((id, map) -> {
                if (!map.isEmpty()) {
                    failover.put(id, map.size());
                }
            });
        }
        m.put("failed_over_tickers", failover);
        m.put("rejected_status_transitions",
                connections.values().stream().mapToLong(ManagedConnection::rejectedTransitions).sum());
        return m;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Every configured slot, disabled ones included (with zero figures), in slot order. */
    public List<ConnectionInfo> getConnections() {
        List<ConnectionInfo> out = new ArrayList<>();
        for (ConnectionConfig slot : config.slots()) {
            ManagedConnection c = connections.get(slot.id());
            if (c == null) {
                out.add(new ConnectionInfo(slot.id(), slot.index(), slot.name(), false, ConnectionStatus.DISCONNECTED,
                        Set.of(), 0, 0, 0, null, null, null, slot.priority(), slot.universeKey(), slot.configSource()));
            } else {
                out.add(info(c));
            }
        }
        return out;
    }

    public Optional<ConnectionInfo> getConnection(String connectionId) {
        ManagedConnection c = connections.get(connectionId);
        return c == null ? Optional.empty() : Optional.of(info(c));
    }

    private static ConnectionInfo info(ManagedConnection c) {
        long last = c.lastMessageMillis();
        Set<String> tickers = c.config.wholeMarket() ? Set.of(ConnectionConfig.WHOLE_MARKET) : c.tickers; // ConnectionInfo copies, sorted
        return new ConnectionInfo(c.id, c.config.index(), c.config.name(), true, c.status(), tickers,
                c.messageCount(), round2(c.rate.rate()), c.errorCount(), last == 0 ? null : Instant.ofEpochMilli(last),
                c.lastError(), c.connectedSince(), c.config.priority(), c.config.universeKey(), c.config.configSource(),
                tickerCount(c));
    }

    /** Assigned tickers, or for a whole-market slot the distinct tickers seen on it. */
    private static int tickerCount(ManagedConnection c) {
        return c.seen != null ? c.seen.count() : c.tickers.size();
    }

    /**
     * The primary connection of a ticker: where it is placed by name, else the whole-market slot
     * (for any valid ticker); empty if nothing carries it. Lock-free.
     */
    public Optional<String> getTickerAssignment(String ticker) {
        Optional<String> placed = assignment.primaryOf(ticker);
        if (placed.isPresent() || wholeMarketSlot == null || !Tickers.isValid(ticker)) {
            return placed;
        }
        return Optional.of(wholeMarketSlot.id);
    }

    /** Every connection carrying the ticker, primary first, the whole-market slot last. */
    public List<String> getTickerConnections(String ticker) {
        List<String> placed = assignment.connectionsOf(ticker);
        if (wholeMarketSlot == null || !Tickers.isValid(ticker)) {
            return placed;
        }
        List<String> all = new ArrayList<>(placed);
        all.add(wholeMarketSlot.id);
        return List.copyOf(all);
    }

    /** Tickers the connection carries (primary, redundant or standing in), sorted. */
    public Set<String> getConnectionTickers(String connectionId) {
        return Collections.unmodifiableSet(new TreeSet<>(connection(connectionId).tickers));
    }

    public Set<String> getRedundantTickers() {
        return redundant;
    }

    public GatewayConfig config() {
        return config;
    }

    @SuppressWarnings("unchecked") // an array of a wildcard type: only TickSinks are ever stored
    private static TickSink<? super MarketEvent>[] toArray(List<TickSink<? super MarketEvent>> sinks) {
        return sinks.toArray(new TickSink[0]);
    }

    public void addSink(TickSink<? super MarketEvent> sink) {
        synchronized (control) {
            TickSink<? super MarketEvent>[] more = java.util.Arrays.copyOf(sinks, sinks.length + 1);
            more[sinks.length] = sink;
            sinks = more;
        }
    }

    public void addStatusListener(StatusListener listener) {
        statusListeners.add(listener);
    }

    public void addHealthContributor(HealthContributor contributor) {
        contributors.add(contributor);
    }

    private ManagedConnection connection(String connectionId) {
        ManagedConnection c = connections.get(connectionId);
        if (c == null) {
            throw new IllegalArgumentException("unknown or disabled connection: " + connectionId);
        }
        return c;
    }

    private static String rootMessage(Throwable t) {
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
        private LongSupplier nanoClock = System::nanoTime;

        private Builder(GatewayConfig config) {
            this.config = Objects.requireNonNull(config);
        }

        public Builder universes(UniverseResolver universes) {
            this.universes = Objects.requireNonNull(universes);
            return this;
        }

        public Builder feedClients(FeedClientFactory clients) {
            this.clients = Objects.requireNonNull(clients);
            return this;
        }

        /** The single callback every de-duplicated event goes to (more can be added later). */
        public Builder sink(TickSink<? super MarketEvent> sink) {
            sinks.add(Objects.requireNonNull(sink));
            return this;
        }

        public Builder statusListener(StatusListener listener) {
            statusListeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /** The clock for rate measurement (tests). */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock);
            return this;
        }

        public MultiConnectionManager build() {
            Objects.requireNonNull(clients, "feedClients(...) is required");
            return new MultiConnectionManager(this);
        }
    }
}
