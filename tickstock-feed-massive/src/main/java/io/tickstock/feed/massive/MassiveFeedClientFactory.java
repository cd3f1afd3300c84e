package io.tickstock.feed.massive;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.connection.FeedClient;
import io.tickstock.core.connection.FeedClientFactory;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.health.HealthContributor;
import io.tickstock.core.bus.IngestGate;
import io.tickstock.core.resources.TickStockResources;
import io.tickstock.feed.massive.capture.FrameCapture;

import javax.net.ssl.SSLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes {@link MassiveFeedClient}s that all share one Netty event loop group, which this factory
 * owns: {@link #close()} disconnects every client it made and shuts the group down. The clients'
 * timers (reconnect backoff, auth timeout, pings, stable-session reset) wait on the scheduler of a
 * {@link TickStockResources} and read its clock: pass the gateway's shared resources, or let the
 * factory create and close its own. Its health figures are each client's {@link MassiveFeedStats},
 * under {@code massive_feed}.
 */
public final class MassiveFeedClientFactory implements FeedClientFactory, HealthContributor, AutoCloseable {
    private final MassiveConfig config;
    private final MultiThreadIoEventLoopGroup group;
    private final SslContext sslContext;
    private final List<MassiveFeedClient> clients = new CopyOnWriteArrayList<>();
    private final TickStockResources resources;
    private final boolean ownsResources;
    private volatile FrameCapture capture;
    private volatile IngestGate gate;

    /**
     * With {@link MassiveConfig#ioThreads()} I/O threads ({@code MASSIVE_WEBSOCKET_IO_THREADS}) and
     * resources of its own (one "massive-feed-timers" thread, closed with the factory).
     */
    public MassiveFeedClientFactory(MassiveConfig config) {
        this(config, config.ioThreads());
    }

    /** Clients sharing one event loop group of {@code ioThreads} threads, with resources of its own. */
    public MassiveFeedClientFactory(MassiveConfig config, int ioThreads) {
        this(config, ioThreads, null);
    }

    /**
     * With {@link MassiveConfig#ioThreads()} I/O threads, the clients' timers on the shared
     * {@code resources} (borrowed: {@link #close()} leaves them to their owner).
     */
    public MassiveFeedClientFactory(MassiveConfig config, TickStockResources resources) {
        this(config, config.ioThreads(), Objects.requireNonNull(resources, "resources"));
    }

    /** Clients sharing one event loop group of {@code ioThreads} threads, timers on {@code resources} (borrowed). */
    public MassiveFeedClientFactory(MassiveConfig config, int ioThreads, TickStockResources resources) {
        this.config = config;
        this.ownsResources = resources == null;
        this.resources = ownsResources ? TickStockResources.create("massive-feed-timers") : resources;
        if (config.keyInClearOverNetwork()) {
            org.slf4j.LoggerFactory.getLogger(MassiveFeedClientFactory.class).warn(
                    "{} is {}: ws:// to a host that is not this machine sends the API key unencrypted; use wss://",
                    MassiveConfig.URL, config.redactedUrl());
        }
        try {
            this.sslContext = config.tls() ? SslContextBuilder.forClient()
                    .endpointIdentificationAlgorithm("HTTPS") // verify the host name, whatever Netty's default
                    .build() : null;
        } catch (SSLException e) {
            throw new IllegalStateException("cannot initialise TLS", e);
        }
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("massive-feed", true),
                NioIoHandler.newFactory());
    }

    /** The configuration every client gets. */
    public MassiveConfig config() {
        return config;
    }

    @Override
    public FeedClient create(ConnectionConfig slot, FeedListener listener) {
        return create(slot.id(), listener);
    }

    /** A client for {@code connectionId} (e.g. {@code connection_1}), pinned to one loop of the shared group. */
    public MassiveFeedClient create(String connectionId, FeedListener listener) {
        MassiveFeedClient c = new MassiveFeedClient(config, connectionId, listener, group.next(), sslContext, resources);
        FrameCapture cap = capture;
        if (cap != null) {
            c.capture(cap.tap(connectionId));
        }
        c.ingestGate(gate);
        clients.add(c);
        return c;
    }

    /**
     * Journals every frame received by the clients of this factory ({@code TICKSTOCK_CAPTURE_DIR}). The
     * caller owns the capture and closes it after this factory.
     */
    public MassiveFeedClientFactory capture(FrameCapture capture) {
        this.capture = capture;
        for (MassiveFeedClient c : clients) {
            c.capture(capture.tap(c.connectionId()));
        }
        return this;
    }

    /**
     * Makes the clients of this factory stop reading while {@code gate} is held (a sink such as the Redis
     * publisher has fallen behind) and resume when it opens, so the feed server keeps the burst instead
     * of the sink dropping it; null: never pause.
     */
    public MassiveFeedClientFactory ingestGate(IngestGate gate) {
        this.gate = gate;
        for (MassiveFeedClient c : clients) {
            c.ingestGate(gate);
        }
        return this;
    }

    /** Every client this factory made, in creation order. */
    public List<MassiveFeedClient> clients() {
        return List.copyOf(clients);
    }

    @Override
    public String healthName() {
        return "massive_feed";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (MassiveFeedClient c : clients) {
            Map<String, Object> figures = new LinkedHashMap<>(c.stats().toMap());
            figures.putAll(c.rejections());
            m.put(c.connectionId(), figures);
        }
        return m;
    }

    @Override
    public void close() {
        CompletableFuture<?>[] stopped = clients.stream().map(MassiveFeedClient::disconnect)
                .toArray(CompletableFuture<?>[]::new);
        try {
            CompletableFuture.allOf(stopped).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the loop is shut down below either way
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (ownsResources) {
            resources.close();
        }
    }
}
