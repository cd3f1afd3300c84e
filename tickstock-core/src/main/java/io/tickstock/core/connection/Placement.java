package io.tickstock.core.connection;

import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.internal.dedup.EventDeduplicator;
import io.tickstock.core.routing.RouteCandidate;
import io.tickstock.core.routing.TickerAssignment;
import io.tickstock.core.routing.TickerRouter;
import io.tickstock.core.universe.Tickers;
import io.tickstock.core.universe.UniverseResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where every ticker is carried: the assignment, each connection's ticker set, and the run-time
 * subscribe, unsubscribe and move operations with the client calls that carry them out.
 *
 * <p>Owner: the {@link ControlQueue}. Every method that changes placement runs as a control task
 * (or in the constructor's build phase) and calls the clients after changing the state, in the
 * same task, so the clients see the changes in order. Reads ({@link #primaryOf} …) are lock-free.
 */
final class Placement {
    private static final Logger LOG = LoggerFactory.getLogger(MultiConnectionManager.class); // the manager's parts log as the manager, as operators know it

    private final GatewayConfig config;
    private final Connections connections;
    private final ControlQueue control;
    private final TickerAssignment assignment = new TickerAssignment();
    private final TickerRouter router;
    private final EventDeduplicator dedup;
    private final Map<String, LongAdder> eventsByTicker;
    private final LongAdder overflow = new LongAdder();
    private Set<String> redundant = Set.of();

    Placement(GatewayConfig config, Connections connections, ControlQueue control, EventDeduplicator dedup,
              Map<String, LongAdder> eventsByTicker) {
        this.config = config;
        this.connections = connections;
        this.control = control;
        this.router = config.routingStrategy().newRouter();
        this.dedup = dedup;
        this.eventsByTicker = eventsByTicker;
    }

    // ---------------------------------------------------------------- build time (before any client exists)

    void assignInitial(UniverseResolver universes) {
        for (ManagedConnection c : connections.all()) {
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
        this.redundant = Collections.unmodifiableSet(assignRedundant());
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
        List<ManagedConnection> named = connections.named();
        int copies = named.size() + (connections.wholeMarketSlot() == null ? 0 : 1);
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

    // ---------------------------------------------------------------- state changes (control tasks)

    /** Records that {@code c} carries {@code t}. */
    void place(String t, ManagedConnection c) {
        assignment.add(t, c.id);
        LongAdder events = null;
        if (eventsByTicker != null) {
            events = eventsByTicker.computeIfAbsent(t, k -> new LongAdder());
        }
        c.carried.putIfAbsent(t, new CarriedTicker(null, events));
        refreshSharing(t);
    }

    void unplace(String t, ManagedConnection c) {
        c.carried.remove(t);
        assignment.remove(t, c.id);
        if (eventsByTicker != null && !assignment.contains(t)) {
            eventsByTicker.remove(t);
        }
        refreshSharing(t);
    }

    /**
     * De-duplicates a ticker exactly while it can arrive twice: on two connections (redundant, moving,
     * failed over) or beside a whole-market slot. A ticker on one connection keeps no window. The
     * windows are handed to every connection's entry for the ticker (the event path's one lookup
     * yields them), the whole-market slot's included.
     */
    private void refreshSharing(String t) {
        List<String> carriers = assignment.connectionsOf(t);
        ManagedConnection wholeMarketSlot = connections.wholeMarketSlot();
        EventDeduplicator.SymbolWindows windows = null;
        if (carriers.size() >= 2 || carriers.size() == 1 && wholeMarketSlot != null) {
            windows = dedup.shareWindows(t);
            if (windows == null) {
                LOG.warn("per-symbol state is full ({} = {}); {} is not de-duplicated",
                        GatewayConfig.SYMBOL_STATE_LIMIT, config.symbolStateLimit(), t);
            }
        } else {
            dedup.unshare(t);
        }
        for (String id : carriers) {
            CarriedTicker entry = connections.get(id).carried.get(t);
            if (entry != null) {
                entry.windows(windows);
            }
        }
        if (wholeMarketSlot != null) {
            CarriedTicker seen = wholeMarketSlot.seen.get(t);
            if (seen != null) {
                seen.windows(windows);
            }
        }
    }

    /** Slots that routing may place a ticker on: the named-ticker slots. */
    private List<RouteCandidate> candidates() {
        List<RouteCandidate> out = new ArrayList<>(connections.size());
        for (ManagedConnection c : connections.named()) {
            out.add(new RouteCandidate(c.id, c.config.index(), c.isConnected(), c.tickers.size(), c.rate.rate()));
        }
        return out;
    }

    /** See {@link MultiConnectionManager#subscribe(Collection, String)}. Control task. */
    Map<String, String> subscribe(List<String> valid, String connectionId) {
        ManagedConnection wholeMarketSlot = connections.wholeMarketSlot();
        Map<String, String> result = new LinkedHashMap<>();
        Map<ManagedConnection, List<String>> toSend = new LinkedHashMap<>();
        List<String> toMove = new ArrayList<>();
        int refused = 0;
        boolean covered = wholeMarketSlot != null
                && (connectionId == null || connectionId.equals(wholeMarketSlot.id));
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
        if (refused > 0) {
            overflow.add(refused);
            LOG.warn("{} tickers not subscribed: {} = {} tickers are assigned already", refused,
                    GatewayConfig.SYMBOL_STATE_LIMIT, config.symbolStateLimit());
        }
        toSend.forEach((c, list) -> c.client.subscribe(list));
        if (!toMove.isEmpty()) {
            move(toMove, connections.get(connectionId));
        }
        return result;
    }

    /** Removes normalized tickers from every connection carrying them. Control task. */
    void unsubscribe(List<String> tickers) {
        Map<ManagedConnection, List<String>> toSend = new LinkedHashMap<>();
        for (String t : tickers) {
            for (String id : assignment.connectionsOf(t)) {
                ManagedConnection c = connections.get(id);
                unplace(t, c);
                toSend.computeIfAbsent(c, k -> new ArrayList<>()).add(t);
            }
        }
        toSend.forEach((c, list) -> c.client.unsubscribe(list));
    }

    /**
     * Moves tickers to {@code to}, make-before-break: subscribe there, and once acknowledged (a
     * later control task) unsubscribe the old one. Control task.
     */
    CompletableFuture<Void> move(Collection<String> tickers, ManagedConnection to) {
        if (to.config.wholeMarket()) {
            return CompletableFuture.completedFuture(null); // it carries them already; nothing to move
        }
        Map<String, String> from = new LinkedHashMap<>();
        for (String raw : tickers) {
            String t = Tickers.normalizeOne(raw);
            Optional<String> primary = t == null ? Optional.empty() : assignment.primaryOf(t);
            if (primary.isPresent() && !primary.get().equals(to.id)) {
                from.put(t, primary.get());
                place(t, to);
            }
        }
        if (from.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        control.whenAcknowledged(to.client.subscribe(List.copyOf(from.keySet())), config.connectTimeout(), (ok, error) -> {
            try {
                finishMove(from, to, error);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    private void finishMove(Map<String, String> from, ManagedConnection to, Throwable error) {
        if (error != null) {
            LOG.warn("move to {} not acknowledged ({}); {} left on both connections",
                    to.id, MultiConnectionManager.rootMessage(error), Tickers.count(from.size()));
            return;
        }
        Map<ManagedConnection, List<String>> release = new LinkedHashMap<>();
        from.forEach((t, oldId) -> {
            if (!assignment.connectionsOf(t).contains(to.id)) {
                return; // unsubscribed meanwhile
            }
            assignment.makePrimary(t, to.id);
            if (!redundant.contains(t) && assignment.connectionsOf(t).contains(oldId)) {
                ManagedConnection old = connections.get(oldId);
                unplace(t, old);
                release.computeIfAbsent(old, k -> new ArrayList<>()).add(t);
            }
        });
        release.forEach((c, list) -> c.client.unsubscribe(list));
    }

    // ---------------------------------------------------------------- reads (any thread)

    Optional<String> primaryOf(String ticker) {
        return assignment.primaryOf(ticker);
    }

    List<String> connectionsOf(String ticker) {
        return assignment.connectionsOf(ticker);
    }

    boolean isRedundant(String ticker) {
        return redundant.contains(ticker);
    }

    Set<String> redundant() {
        return redundant;
    }

    int size() {
        return assignment.size();
    }

    long overflow() {
        return overflow.sum();
    }
}
