package io.tickstock.core.connection;

import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.internal.dedup.EventDeduplicator;
import io.tickstock.core.routing.RouteCandidate;
import io.tickstock.core.routing.RoutingStrategy;
import io.tickstock.core.routing.TickerRouter;
import io.tickstock.core.universe.Tickers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Failover and fail-back: while a connection is down, the tickers only it carries are placed on
 * healthy connections too; once it is back and has them acknowledged, the stand-ins let go.
 *
 * <p>Owner: the {@link ControlQueue}; every method but {@link #counts()} runs as a control task.
 */
final class Failover {
    private static final Logger LOG = LoggerFactory.getLogger(MultiConnectionManager.class); // the manager's parts log as the manager, as operators know it

    private final GatewayConfig config;
    private final Connections connections;
    private final Placement placement;
    private final EventDeduplicator dedup;
    private final ControlQueue control;
    private final TickerRouter router = RoutingStrategy.MANUAL.newRouter();
    /** Down connection id → (ticker → connection standing in for it). */
    private final Map<String, Map<String, String>> failedOver = new HashMap<>();
    /** Failed-over tickers per down connection, published for the health snapshot. */
    private volatile Map<String, Integer> counts = Map.of();

    Failover(GatewayConfig config, Connections connections, Placement placement, EventDeduplicator dedup,
             ControlQueue control) {
        this.config = config;
        this.connections = connections;
        this.placement = placement;
        this.dedup = dedup;
        this.control = control;
    }

    /**
     * Moves the tickers only {@code down} carries onto healthy connections while it stays down. A
     * down whole-market slot fails over as a whole: one healthy connection subscribes {@code *} too,
     * and every symbol is de-duplicated until the slot is back.
     */
    void failOverIfStillDown(ManagedConnection down) {
        if (down.isConnected()) {
            return;
        }
        List<ManagedConnection> healthy = connections.all().stream()
                .filter(c -> c != down && c.isConnected()).toList();
        if (healthy.isEmpty()) {
            LOG.warn("{} is down and no other connection is up; its tickers wait for it", down.id);
            return;
        }
        Map<ManagedConnection, List<String>> toSend = new LinkedHashMap<>();
        Map<String, String> covered = failedOver.computeIfAbsent(down.id, k -> new HashMap<>());
        if (down.config.wholeMarket() && !covered.containsKey(ConnectionConfig.WHOLE_MARKET)) {
            ManagedConnection helper = connections.get(router.route(ConnectionConfig.WHOLE_MARKET, options(healthy)));
            dedup.shareAll(true); // before the helper's first whole-market event
            helper.wholeMarket = true;
            covered.put(ConnectionConfig.WHOLE_MARKET, helper.id);
            toSend.put(helper, new ArrayList<>(List.of(ConnectionConfig.WHOLE_MARKET)));
        }
        boolean wholeMarketUp = healthy.stream().anyMatch(c -> c.wholeMarket);
        for (String t : new TreeSet<>(down.tickers)) {
            boolean servedElsewhere = wholeMarketUp || placement.connectionsOf(t).stream()
                    .anyMatch(id -> !id.equals(down.id) && connections.get(id).isConnected());
            if (servedElsewhere || covered.containsKey(t)) {
                continue;
            }
            ManagedConnection helper = connections.get(router.route(t, options(healthy)));
            placement.place(t, helper);
            covered.put(t, helper.id);
            toSend.computeIfAbsent(helper, k -> new ArrayList<>()).add(t);
        }
        publishCounts();
        toSend.forEach((c, list) -> {
            LOG.warn("failover: {} of {} now also on {}", Tickers.count(list.size()), down.id, c.id);
            c.client.subscribe(list);
        });
    }

    private static List<RouteCandidate> options(List<ManagedConnection> healthy) {
        List<RouteCandidate> out = new ArrayList<>(healthy.size());
        for (ManagedConnection c : healthy) {
            out.add(new RouteCandidate(c.id, c.config.index(), true, c.tickers.size(), c.rate.rate()));
        }
        return out;
    }

    /**
     * Once {@code back} has its tickers acknowledged again, releases the connections that stood in.
     * Tickers moved off {@code back} while it was down are not resubscribed there (the client would
     * carry what placement no longer gives it); their stand-ins let go at once unless now primary.
     */
    void failBack(ManagedConnection back) {
        Map<String, String> covered = failedOver.remove(back.id);
        publishCounts();
        if (covered == null || covered.isEmpty()) {
            return;
        }
        Map<String, String> stillHere = new LinkedHashMap<>();
        Map<String, String> movedAway = new LinkedHashMap<>();
        covered.forEach((t, helperId) -> (t.equals(ConnectionConfig.WHOLE_MARKET) || back.tickers.contains(t)
                ? stillHere : movedAway).put(t, helperId));
        release(back, movedAway);
        if (stillHere.isEmpty()) {
            return;
        }
        control.whenAcknowledged(back.client.subscribe(List.copyOf(stillHere.keySet())), config.connectTimeout(),
                (ok, error) -> finishFailBack(back, stillHere, error));
    }

    private void finishFailBack(ManagedConnection back, Map<String, String> covered, Throwable error) {
        if (error != null) {
            LOG.warn("{} back but resubscription not acknowledged; failover kept", back.id);
            failedOver.merge(back.id, covered, (a, b) -> {
                a.putAll(b);
                return a;
            });
            publishCounts();
            return;
        }
        release(back, covered);
    }

    /** Lets go of stand-ins (ticker → helper) that are neither primary nor redundant there. */
    private void release(ManagedConnection back, Map<String, String> covered) {
        Map<ManagedConnection, List<String>> release = new LinkedHashMap<>();
        covered.forEach((t, helperId) -> {
            ManagedConnection helper = connections.get(helperId);
            if (t.equals(ConnectionConfig.WHOLE_MARKET)) {
                helper.wholeMarket = false; // its stragglers now count as unsubscribed
                dedup.shareAll(false);
                release.computeIfAbsent(helper, k -> new ArrayList<>()).add(t);
                return;
            }
            List<String> carriers = placement.connectionsOf(t);
            if (carriers.contains(helperId) && !carriers.get(0).equals(helperId) && !placement.isRedundant(t)) {
                placement.unplace(t, helper);
                release.computeIfAbsent(helper, k -> new ArrayList<>()).add(t);
            }
        });
        release.forEach((c, list) -> {
            LOG.info("failback: {} back from {} to {}", Tickers.count(list.size()), c.id, back.id);
            c.client.unsubscribe(list);
        });
    }

    /** Forgets unsubscribed tickers: nothing stands in for them any more. */
    void forget(Collection<String> tickers) {
        failedOver.values().forEach(m -> m.keySet().removeAll(tickers));
        publishCounts();
    }

    private void publishCounts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (ManagedConnection c : connections.all()) {
            Map<String, String> covered = failedOver.get(c.id);
            if (covered != null && !covered.isEmpty()) {
                m.put(c.id, covered.size());
            }
        }
        counts = Map.copyOf(m);
    }

    /** Failed-over tickers per down connection (non-empty ones), in slot order. Any thread. */
    Map<String, Object> counts() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ManagedConnection c : connections.all()) {
            Integer n = counts.get(c.id);
            if (n != null) {
                m.put(c.id, n);
            }
        }
        return m;
    }
}
