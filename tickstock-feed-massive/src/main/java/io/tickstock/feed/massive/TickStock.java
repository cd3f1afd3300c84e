package io.tickstock.feed.massive;

import io.tickstock.core.bus.IngestGate;
import io.tickstock.core.bus.LocalTickBus;
import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.Tick;
import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.resources.TickStockResources;
import io.tickstock.core.universe.UniverseResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one entry point for embedders: a running gateway (the connection manager over Massive
 * clients, configured from {@link Settings}) that hands every de-duplicated tick to a
 * {@link TickSink} on a thread of its own. The hand-over is a bounded queue: a listener slower
 * than the feed loses its oldest ticks, counted in {@link #dropped()}, and never slows the feed's
 * event loop. Closing stops the connections, the listener thread and the clients.
 *
 * <pre>{@code
 * try (TickStock gateway = TickStock.fromEnvironment(tick -> System.out.println(tick))) {
 *     gateway.manager().subscribe(List.of("AAPL"));
 *     ...
 * }
 * }</pre>
 *
 * It lives in {@code tickstock-feed-massive} because it needs the Massive client (core knows no
 * Netty); a Redis publisher from {@code tickstock-redis} is added with {@link Builder#sink(TickSink)}.
 */
public final class TickStock implements AutoCloseable {
    /** Default capacity of the listener's queue, in ticks. */
    public static final int DEFAULT_LISTENER_CAPACITY = LocalTickBus.DEFAULT_CAPACITY;

    private final MassiveFeedClientFactory clients;
    private final LocalTickBus bus;
    private final LocalTickBus.Subscription listener;
    private final MultiConnectionManager manager;
    private final TickStockResources ownedResources; // null: borrowed from the embedder

    private TickStock(MassiveFeedClientFactory clients, LocalTickBus bus, LocalTickBus.Subscription listener,
                      MultiConnectionManager manager, TickStockResources ownedResources) {
        this.clients = clients;
        this.bus = bus;
        this.listener = listener;
        this.manager = manager;
        this.ownedResources = ownedResources;
    }

    /**
     * Starts a gateway configured from the environment and {@code .env} ({@link Settings#load()}),
     * delivering ticks to {@code listener} on its own thread.
     *
     * @throws ConfigException when the configuration is invalid (the message names the key)
     */
    public static TickStock fromEnvironment(TickSink<Tick> listener) {
        return builder().settings(Settings.load()).onTick(listener).start();
    }

    /** A builder; {@link Builder#onTick(TickSink)} is required, settings default to the environment. */
    public static Builder builder() {
        return new Builder();
    }

    /** The connection manager: subscriptions, routing, health and connection state. */
    public MultiConnectionManager manager() {
        return manager;
    }

    /** Ticks handed to the listener so far. */
    public long delivered() {
        return listener.stats().delivered();
    }

    /** Ticks dropped because the listener's queue was full (the oldest go first). */
    public long dropped() {
        return listener.stats().dropped();
    }

    /** Ticks on which the listener threw (each is logged, counted and skipped). */
    public long listenerErrors() {
        return listener.stats().errors();
    }

    /**
     * Stops the connections, then the listener thread, then the clients' event loops, then the
     * control thread (unless the resources were the embedder's).
     */
    @Override
    public void close() {
        try {
            manager.close();
        } finally {
            try {
                bus.close();
            } finally {
                try {
                    clients.close();
                } finally {
                    if (ownedResources != null) {
                        ownedResources.close();
                    }
                }
            }
        }
    }

    /** Configures and starts a {@link TickStock}. */
    public static final class Builder {
        private Settings settings;
        private TickSink<Tick> onTick;
        private int capacity = DEFAULT_LISTENER_CAPACITY;
        private final List<TickSink> sinks = new ArrayList<>();
        private boolean connect = true;
        private TickStockResources resources;
        private IngestGate gate;

        private Builder() {
        }

        /**
         * A gate a slow sink holds to make the Massive connections stop reading for a while instead of
         * dropping ticks (for instance a Redis publisher's: {@code publisher.ingestGate(gate)}); none
         * by default.
         */
        public Builder ingestGate(IngestGate gate) {
            this.gate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /**
         * Clock and control thread shared by the manager and the Massive clients (borrowed: closing
         * the gateway leaves them open). Without it the gateway creates its own, one
         * "tickstock-control-N" thread, and closes them with the gateway.
         */
        public Builder resources(TickStockResources resources) {
            this.resources = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /** The configuration (docs/configuration.md); {@link Settings#load()} when not set. */
        public Builder settings(Settings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The tick listener, called on the gateway's own listener thread, one tick at a time. */
        public Builder onTick(TickSink<Tick> listener) {
            this.onTick = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Capacity of the listener's queue, in ticks (default {@value #DEFAULT_LISTENER_CAPACITY}). */
        public Builder listenerCapacity(int ticks) {
            if (ticks < 1) {
                throw new IllegalArgumentException("listenerCapacity must be at least 1, was " + ticks);
            }
            this.capacity = ticks;
            return this;
        }

        /**
         * An extra sink called on the feed's I/O threads for every tick, for instance a Redis
         * publisher; it must not block (put a bounded queue of its own in front of slow work).
         */
        public Builder sink(TickSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * Whether {@link #start()} connects (default {@code true}); without it, call
         * {@code manager().connect()} yourself.
         */
        public Builder connect(boolean connect) {
            this.connect = connect;
            return this;
        }

        /**
         * Builds the clients, the listener thread and the manager, and connects. A connection that
         * is not up yet keeps retrying in the background; {@code manager().getConnections()} shows it.
         *
         * @throws ConfigException when the configuration is invalid (the message names the key)
         * @throws IllegalStateException when no listener was given
         */
        public TickStock start() {
            if (onTick == null) {
                throw new IllegalStateException("TickStock.builder(): onTick(listener) is required");
            }
            Settings s = settings != null ? settings : Settings.load();
            GatewayConfig config = GatewayConfig.from(s);
            UniverseResolver universes = UniverseResolver.fromSettings(s);
            MassiveConfig massive = MassiveConfig.from(s);
            TickStockResources owned = resources == null ? TickStockResources.create() : null;
            TickStockResources shared = owned != null ? owned : resources;
            MassiveFeedClientFactory clients = new MassiveFeedClientFactory(massive, shared).ingestGate(gate);
            LocalTickBus bus = new LocalTickBus();
            MultiConnectionManager manager = null;
            try {
                TickSink<Tick> listener = onTick;
                LocalTickBus.Subscription subscription = bus.subscribe("embedder", capacity, listener::accept);
                MultiConnectionManager.Builder managed = MultiConnectionManager.builder(config).universes(universes)
                        .feedClients(clients).resources(shared).sink(bus);
                for (TickSink extra : sinks) {
                    managed.sink(extra); // each on its own: a SymbolStateSink keeps its per-ticker state
                }
                manager = managed.build();
                manager.addHealthContributor(bus);
                TickStock gateway = new TickStock(clients, bus, subscription, manager, owned);
                if (connect) {
                    manager.connect();
                }
                return gateway;
            } catch (RuntimeException | Error e) {
                if (manager != null) {
                    manager.close();
                }
                bus.close();
                clients.close();
                if (owned != null) {
                    owned.close();
                }
                throw e;
            }
        }
    }
}
