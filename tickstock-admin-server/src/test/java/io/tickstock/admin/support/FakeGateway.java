package io.tickstock.admin.support;

import io.tickstock.admin.gateway.GatewayControl;
import io.tickstock.admin.gateway.GatewayView;
import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.Tick;
import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.StatusChange;
import io.tickstock.core.connection.StatusListener;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Trade;
import io.tickstock.core.health.ConnectionHealth;
import io.tickstock.core.health.HealthStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** An in-memory {@link GatewayView}: three slots (the third disabled by default), ticks pushed by the test. */
public final class FakeGateway implements GatewayView, GatewayControl {
    /** The last values the API serves; tests feed it directly. */
    public final io.tickstock.core.lastvalue.LastValueStore lastValues = new io.tickstock.core.lastvalue.LastValueStore(1_000);

    @Override
    public Optional<io.tickstock.core.lastvalue.LastValueStore> lastValues() {
        return Optional.of(lastValues);
    }

    private final class Slot {
        final int index;
        final String name;
        final boolean enabled;
        final Set<String> tickers;
        final Optional<String> universe;
        volatile ConnectionStatus status = ConnectionStatus.CONNECTED;
        volatile Instant since = Instant.now();
        volatile Instant last;
        volatile String lastError;
        final AtomicLong messages = new AtomicLong();
        final AtomicLong errors = new AtomicLong();

        Slot(int index, String name, boolean enabled, Optional<String> universe, Set<String> tickers) {
            this.index = index;
            this.name = name;
            this.enabled = enabled;
            this.universe = universe;
            this.tickers = new TreeSet<>(tickers);
            if (!enabled) {
                status = ConnectionStatus.DISCONNECTED;
                since = null;
            }
        }

        ConnectionInfo info() {
            return new ConnectionInfo("connection_" + index, index, name, enabled, status, tickers, messages.get(), 0.0,
                    errors.get(), last == null ? null : last.toEpochMilli(), lastError,
                    status == ConnectionStatus.CONNECTED && since != null ? since.toEpochMilli() : null, "standard",
                    universe, universe.map(u -> "universe:" + u).orElse("symbols:" + String.join(",", tickers)));
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private final List<TickSink<Tick>> sinks = new CopyOnWriteArrayList<>();
    private final List<StatusListener> listeners = new CopyOnWriteArrayList<>();
    public final List<String> reconnects = new CopyOnWriteArrayList<>();
    /** Whether this fake offers {@link GatewayControl}, as the local gateway does (a view of Redis nodes does not). */
    public volatile boolean offersControl = true;

    public FakeGateway() {
        slots.add(new Slot(1, "primary", true, Optional.of("market_leaders:top_50"), Set.of("AAPL", "MSFT", "NVDA")));
        slots.add(new Slot(2, "secondary", true, Optional.empty(), Set.of("JPM", "BAC")));
        slots.add(new Slot(3, "tertiary", false, Optional.empty(), Set.of()));
    }

    /** Delivers a trade as if it arrived on {@code connectionId}. */
    public void tick(String connectionId, String symbol, double price) {
        long now = System.currentTimeMillis();
        emit(new Trade(connectionId, symbol, 4, "1", price, 100, List.of(), now, 1, 3, now));
    }

    public void emit(MarketEvent e) {
        Slot s = slot(e.connectionId());
        s.messages.incrementAndGet();
        s.last = Instant.now();
        for (TickSink<Tick> sink : sinks) {
            sink.accept(e);
        }
    }

    public void setStatus(String connectionId, ConnectionStatus to, String message) {
        Slot s = slot(connectionId);
        ConnectionStatus from = s.status;
        s.status = to;
        if (to == ConnectionStatus.CONNECTED) {
            s.since = Instant.now();
        }
        if (to == ConnectionStatus.ERROR) {
            s.lastError = message;
            s.errors.incrementAndGet();
        }
        StatusChange change = new StatusChange(connectionId, from, to, message, System.currentTimeMillis());
        listeners.forEach(l -> l.onStatusChange(change));
    }

    private Slot slot(String id) {
        return slots.stream().filter(s -> ("connection_" + s.index).equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException(id));
    }

    @Override
    public List<ConnectionInfo> connections() {
        return slots.stream().map(Slot::info).toList();
    }

    @Override
    public HealthStatus health() {
        Map<String, ConnectionHealth> conns = new LinkedHashMap<>();
        long ticks = 0;
        long errors = 0;
        int connected = 0;
        for (Slot s : slots) {
            if (!s.enabled) {
                continue;
            }
            ConnectionInfo i = s.info();
            conns.put(i.id(), new ConnectionHealth(i.name(), i.status().wireName(), i.tickerCount(), i.messageCount(),
                    i.errorCount(), i.lastMessageTimeMillis(),
                    0.0, i.lastError(), null, i.priority(), false));
            ticks += i.messageCount();
            errors += i.errorCount();
            connected += i.connected() ? 1 : 0;
        }
        return new HealthStatus(conns.size(), connected, ticks, errors, conns, ticks, HealthStatus.SequenceFigures.NONE, 0,
                HealthStatus.SymbolStateFigures.NONE, 0, Map.of(),
                System.currentTimeMillis());
    }

    @Override
    public Optional<GatewayControl> control() {
        return offersControl ? Optional.of(this) : Optional.empty();
    }

    @Override
    public void reconnect(String connectionId) {
        slot(connectionId);
        reconnects.add(connectionId);
    }

    @Override
    public void addTickSink(TickSink<Tick> sink) {
        sinks.add(sink);
    }

    /** The sinks added, in order. */
    public List<TickSink<Tick>> tickSinks() {
        return List.copyOf(sinks);
    }

    @Override
    public void addStatusListener(StatusListener listener) {
        listeners.add(listener);
    }

    @Override
    public boolean demo() {
        return true;
    }
}
