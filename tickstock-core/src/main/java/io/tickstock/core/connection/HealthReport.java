package io.tickstock.core.connection;

import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.internal.dedup.EventDeduplicator;
import io.tickstock.core.health.ConnectionHealth;
import io.tickstock.core.health.HealthContributor;
import io.tickstock.core.health.HealthStatus;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Reads the manager's figures into the health snapshot and the connection views. Any thread, lock-free. */
final class HealthReport {
    private final GatewayConfig config;
    private final Connections connections;
    private final Placement placement;
    private final Failover failover;
    private final Dispatcher dispatcher;
    private final EventDeduplicator dedup;
    private final Clock clock;
    private final ControlQueue control;
    private final List<HealthContributor> contributors = new CopyOnWriteArrayList<>();

    HealthReport(GatewayConfig config, Connections connections, Placement placement, Failover failover,
                 Dispatcher dispatcher, EventDeduplicator dedup, Clock clock, ControlQueue control) {
        this.config = config;
        this.connections = connections;
        this.placement = placement;
        this.failover = failover;
        this.dispatcher = dispatcher;
        this.dedup = dedup;
        this.clock = clock;
        this.control = control;
    }

    void addContributor(HealthContributor contributor) {
        contributors.add(contributor);
    }

    /** A consistent snapshot: totals are the sums of the per-connection figures read in the same pass. */
    HealthStatus snapshot() {
        // Every delivered or duplicate event was counted as received first, so reading these before the
        // message counts keeps one snapshot consistent (delivered + duplicates never above received).
        long deliveredCount = dispatcher.delivered();
        EventDeduplicator.Figures d = dedup.figures();
        long unsubscribedCount = dispatcher.unsubscribedDropped();
        Map<String, ConnectionHealth> byId = new LinkedHashMap<>();
        int connected = 0;
        long ticks = 0;
        long errors = 0;
        for (ManagedConnection c : connections.all()) {
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
                    last == 0 ? null : last, round2(c.rate.rate()), c.lastError(),
                    since == null ? null : since.toEpochMilli(), c.config.priority(), c.stale()));
        }
        ManagedConnection wholeMarketSlot = connections.wholeMarketSlot();
        int seen = wholeMarketSlot == null ? 0 : wholeMarketSlot.seen.count();
        long seenOverflow = wholeMarketSlot == null ? 0 : wholeMarketSlot.seen.overflow();
        Map<String, Map<String, Object>> components = new LinkedHashMap<>();
        components.put("routing", routing());
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
                        d.overflow() + seenOverflow + placement.overflow()),
                dispatcher.sinkErrors(), components, clock.millis());
    }

    private Map<String, Object> routing() {
        ManagedConnection wholeMarketSlot = connections.wholeMarketSlot();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("strategy", config.routingStrategy().wireName());
        m.put("assigned_tickers", placement.size());
        m.put("redundant_tickers", placement.redundant().size());
        m.put("whole_market_connection", wholeMarketSlot == null ? null : wholeMarketSlot.id);
        m.put("failed_over_tickers", failover.counts());
        m.put("rejected_status_transitions",
                connections.all().stream().mapToLong(ManagedConnection::rejectedTransitions).sum());
        m.put("control_tasks_refused", control.refused());
        return m;
    }

    /** Every configured slot, disabled ones included (with zero figures), in slot order. */
    List<ConnectionInfo> connectionInfos() {
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

    static ConnectionInfo info(ManagedConnection c) {
        long last = c.lastMessageMillis();
        Instant since = c.connectedSince();
        Set<String> tickers = c.config.wholeMarket() ? Set.of(ConnectionConfig.WHOLE_MARKET) : c.tickers; // ConnectionInfo copies, sorted
        return new ConnectionInfo(c.id, c.config.index(), c.config.name(), true, c.status(), tickers,
                c.messageCount(), round2(c.rate.rate()), c.errorCount(), last == 0 ? null : last,
                c.lastError(), since == null ? null : since.toEpochMilli(), c.config.priority(), c.config.universeKey(), c.config.configSource(),
                tickerCount(c));
    }

    /** Assigned tickers, or for a whole-market slot the distinct tickers seen on it. */
    private static int tickerCount(ManagedConnection c) {
        return c.seen != null ? c.seen.count() : c.tickers.size();
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
