package io.tickstock.admin.gateway;

import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Tick;
import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.connection.StatusListener;
import io.tickstock.core.health.HealthStatus;

import io.tickstock.core.lastvalue.LastValueStore;

import java.util.List;
import java.util.Optional;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/** {@link GatewayView} over a local {@link MultiConnectionManager}; the only view that offers {@link GatewayControl}. */
public final class ManagerGatewayView implements GatewayView, GatewayControl {
    private final MultiConnectionManager manager;
    private final Consumer<TickSink<? super MarketEvent>> tickSource;
    private final boolean demo;
    private final LastValueStore lastValues;

    /**
     * @param tickSource how a dashboard sink is attached to the tick flow (directly to the manager, or
     *                   through the in-process bus)
     */
    public ManagerGatewayView(MultiConnectionManager manager, Consumer<TickSink<? super MarketEvent>> tickSource, boolean demo) {
        this(manager, tickSource, demo, null);
    }

    /** @param lastValues the store fed by {@code manager}, served by the last-value API; may be null */
    public ManagerGatewayView(MultiConnectionManager manager, Consumer<TickSink<? super MarketEvent>> tickSource, boolean demo,
                              LastValueStore lastValues) {
        this.manager = manager;
        this.tickSource = tickSource;
        this.demo = demo;
        this.lastValues = lastValues;
    }

    @Override
    public Optional<LastValueStore> lastValues() {
        return Optional.ofNullable(lastValues);
    }

    @Override
    public List<ConnectionInfo> connections() {
        return manager.getConnections();
    }

    @Override
    public HealthStatus health() {
        return manager.getHealthStatus();
    }

    @Override
    public Optional<GatewayControl> control() {
        return Optional.of(this);
    }

    @Override
    public void reconnect(String connectionId) {
        try {
            manager.reconnect(connectionId);
        } catch (IllegalArgumentException e) {
            throw new NoSuchElementException(e.getMessage());
        }
    }

    @Override
    public void addTickSink(TickSink<Tick> sink) {
        tickSource.accept(sink);
    }

    @Override
    public void addStatusListener(StatusListener listener) {
        manager.addStatusListener(listener);
    }

    @Override
    public boolean demo() {
        return demo;
    }
}
