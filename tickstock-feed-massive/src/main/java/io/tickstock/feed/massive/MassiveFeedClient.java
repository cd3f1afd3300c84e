package io.tickstock.feed.massive;

import io.tickstock.feed.massive.internal.FailureLog;
import io.tickstock.feed.massive.internal.MassiveFrameDecoder;
import io.tickstock.feed.massive.internal.MassiveProtocol;
import io.tickstock.feed.massive.internal.ReconnectPolicy;
import io.tickstock.feed.massive.internal.SubscriptionLedger;
import io.tickstock.core.internal.log.SafeText;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.tickstock.core.internal.config.Durations;
import io.tickstock.feed.massive.capture.FrameCapture;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedClient;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.bus.IngestGate;
import io.tickstock.core.resources.TickStockResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Massive WebSocket connection. This class is the connection engine: it connects, sets up the
 * pipeline (ending in a {@link MassiveSession}), watches liveness and reconnects by its
 * {@link ReconnectPolicy}. The Massive protocol (auth, statuses, acknowledgements, batched control
 * messages) is {@link MassiveProtocol}; what is subscribed is the {@link SubscriptionLedger},
 * replayed after every authentication. Events are decoded on the I/O thread straight to the
 * {@link FeedListener}.
 *
 * <p>Concurrency: the client is pinned to one event loop of the shared group, which owns all of
 * its state, the ledger included: public methods hand their work over with {@code loop.execute},
 * so calls take effect, and reach the server, in the order they were made. Fields read from other
 * threads are volatile or atomic. Futures waiting for the server fail when the client stops
 * (disconnect, a fatal status, or giving up).
 */
public final class MassiveFeedClient implements FeedClient {
    private static final Logger LOG = LoggerFactory.getLogger(MassiveFeedClient.class);
    static final String EVICTED = "another client is using this API key's connection slot (max_connections)";
    private static final long ERROR_REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final MassiveConfig config;
    private final String connectionId;
    private final FeedListener listener;
    private final EventLoop loop;
    private final SslContext sslContext;
    private final MassiveFrameDecoder decoder;
    private final SubscriptionLedger ledger;
    private final MassiveProtocol protocol;
    private final FailureLog failures;
    private final ReconnectPolicy policy;
    private final String userAgent;
    private final LoopTimers timers;
    private volatile FrameCapture.Tap captureTap; // null: capture is off
    private volatile IngestGate ingestGate; // null: never pause reading

    // ---- event-loop state ----
    private volatile ConnectionStatus status = ConnectionStatus.DISCONNECTED;
    private volatile String lastMessage;
    private volatile boolean running;
    private int generation;
    private Channel channel;
    private ChannelHandlerContext sessionCtx;
    private MassiveSession session;
    private boolean authenticated;
    private boolean evicted;
    private int consecutiveEvictions;
    private long sessionStartNanos;
    private LoopTimers.Timer retryTimer;
    private LoopTimers.Timer authTimer;
    private LoopTimers.Timer stableTimer;
    private LoopTimers.Timer evictionResetTimer;
    private CompletableFuture<Void> connectFuture = new CompletableFuture<>();
    private long lastErrorReportNanos;
    private long suppressedErrors;
    private long reportedUnknown;
    private long reportedInvalid;

    // ---- counters (single writer: the loop) ----
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong silenceRecycles = new AtomicLong();
    private final AtomicLong pingsSent = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong controlMessagesSent = new AtomicLong();
    private final AtomicLong listenerErrors = new AtomicLong();
    private final AtomicLong rejectedTickers = new AtomicLong(); // not sent: not a valid ticker

    MassiveFeedClient(MassiveConfig config, String connectionId, FeedListener listener, EventLoop loop,
                      SslContext sslContext, TickStockResources resources) {
        this.config = config;
        this.connectionId = connectionId;
        this.listener = listener;
        this.loop = loop;
        this.sslContext = sslContext;
        this.decoder = new MassiveFrameDecoder(connectionId);
        this.ledger = new SubscriptionLedger(loop, config.channels());
        this.protocol = new MassiveProtocol(config, ledger, new ProtocolEngine());
        this.failures = new FailureLog(LOG, connectionId);
        this.policy = new ReconnectPolicy(config.reconnectDelay(), config.reconnectMaxDelay(), config.maxRetries(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.userAgent = "TickStock/0.1 (" + connectionId + ")";
        this.timers = new LoopTimers(resources, loop);
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    MassiveConfig config() {
        return config;
    }

    /** The current status as this client sees it. */
    public ConnectionStatus status() {
        return status;
    }

    /** The message of the last status change (server text for errors). */
    public String statusMessage() {
        return lastMessage;
    }

    /** The subscription set as of the last change applied on the event loop. */
    @Override
    public Set<String> subscriptions() {
        return ledger.snapshot();
    }

    /**
     * Tickers refused before subscribing (not valid tickers), {@code error} statuses from the
     * server, and unexpected exceptions (bugs, logged with their stack once per kind).
     */
    public Map<String, Long> rejections() {
        return Map.of("rejected_tickers", rejectedTickers.get(), "server_errors", protocol.serverErrors(),
                "internal_errors", failures.count());
    }

    /** A snapshot of this connection's counters. */
    public MassiveFeedStats stats() {
        return new MassiveFeedStats(connectionId, status.wireName(), decoder.frames(), decoder.bytes(),
                decoder.events(), decoder.unknownEvents(), decoder.unknownFields(), decoder.malformedFrames(),
                decoder.invalidEvents(), sessions.get(), reconnects.get(), evictions.get(), silenceRecycles.get(),
                pingsSent.get(), controlMessagesSent.get(), listenerErrors.get(), ledger.size());
    }

    // ---- public API ----------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> connect() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (running) {
                connectFuture.whenComplete((v, e) -> complete(result, e));
                return;
            }
            running = true;
            connectFuture = new CompletableFuture<>();
            connectFuture.whenComplete((v, e) -> complete(result, e));
            policy.reset();
            consecutiveEvictions = 0;
            transition(ConnectionStatus.CONNECTING, "connecting to " + config.redactedUrl());
            attempt();
        });
        return result;
    }

    private static void complete(CompletableFuture<Void> f, Throwable e) {
        if (e == null) {
            f.complete(null);
        } else {
            f.completeExceptionally(e);
        }
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        running = false;
        return onLoop(() -> {
            generation++; // callbacks of the old channel are ignored from now on
            cancelTimers();
            closeChannel();
            authenticated = false;
            transition(ConnectionStatus.DISCONNECTED, "stopped");
            failPending(new CancellationException("disconnected"));
        });
    }

    /** The client stopped: nothing pending will be answered any more. */
    private void failPending(Throwable cause) {
        ledger.stopped(cause);
        if (!connectFuture.isDone()) {
            connectFuture.completeExceptionally(cause);
        }
    }

    /** Runs {@code task} on the event loop (inline when already there); the future completes after it. */
    private CompletableFuture<Void> onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    task.run();
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e); // the event loop is gone: nothing left to stop
        }
        return done;
    }

    @Override
    public CompletableFuture<Void> reconnect() {
        return onLoop(() -> {
            if (!running) {
                connect();
                return;
            }
            generation++;
            cancelTimers();
            closeChannel();
            authenticated = false;
            evicted = false;
            consecutiveEvictions = 0;
            policy.reset();
            transition(ConnectionStatus.DISCONNECTED, "reconnect requested");
            transition(ConnectionStatus.CONNECTING, "reconnecting to " + config.redactedUrl());
            attempt();
        });
    }

    @Override
    public CompletableFuture<Void> subscribe(Collection<String> newTickers) {
        List<String> valid = validTickers(newTickers);
        if (valid.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        changeLedger(f, () -> {
            // while stopped the change waits in the ledger for the next authentication
            List<String> params = ledger.add(valid, f);
            decoder.seedSymbols(valid);
            if (authenticated) {
                protocol.subscribe(params);
            }
        });
        return f;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(Collection<String> oldTickers) {
        List<String> valid = validTickers(oldTickers);
        if (valid.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        changeLedger(f, () -> protocol.unsubscribe(ledger.remove(valid, f, authenticated)));
        return f;
    }

    /** Runs a ledger change on the event loop; {@code f} fails if the loop is shut down. */
    private void changeLedger(CompletableFuture<Void> f, Runnable change) {
        try {
            loop.execute(() -> {
                try {
                    change.run();
                } catch (RuntimeException bug) {
                    failures.report("subscription change failed", bug);
                    f.completeExceptionally(bug);
                }
            });
        } catch (RejectedExecutionException shutDown) {
            f.completeExceptionally(new MassiveFeedException("the client's event loop is shut down"));
        }
    }

    private List<String> validTickers(Collection<String> raw) {
        List<String> valid = new ArrayList<>(raw.size());
        for (String t : raw) {
            if (t == null || t.isEmpty() || t.length() > 32 || !t.chars().allMatch(MassiveFeedClient::tickerChar)) {
                rejectedTickers.incrementAndGet();
                listener.onError("ticker rejected (not sent to the server): '" + SafeText.of(t, 40) + "'");
            } else {
                valid.add(t);
            }
        }
        return valid;
    }

    private static boolean tickerChar(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                || c == '*' || c == '_' || c == ':' || c == '/';
    }

    // ---- connection life (event loop) ------------------------------------------------------

    private void attempt() {
        int gen = ++generation;
        if (sessions.get() > 0) {
            reconnects.incrementAndGet();
        }
        sessions.incrementAndGet();
        authenticated = false;
        evicted = false;
        String host = config.url().getHost();
        int port = config.port();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline(ch.pipeline(), gen, host, port);
                    }
                });
        b.connect(host, port).addListener(f -> {
            if (!f.isSuccess()) {
                Throwable c = f.cause();
                onSessionEnded(gen, "cannot connect to " + host + ":" + port + " ("
                        + (c == null ? "cancelled" : c.getClass().getSimpleName() + ": " + c.getMessage()) + ")");
            }
        });
        authTimer = timers.once(() -> {
            if (gen == generation && !authenticated && session != null && sessionCtx != null) {
                session.close(sessionCtx, "not authenticated within " + Durations.format(config.connectTimeout()));
            } else if (gen == generation && !authenticated && channel != null) {
                channel.close();
            }
        }, config.connectTimeout().toMillis());
    }

    private void pipeline(ChannelPipeline p, int gen, String host, int port) {
        channel = p.channel();
        MassiveSession s = new MassiveSession(this, gen, decoder, timers, config.pingInterval().toMillis());
        session = s;
        MassivePipeline.install(p, config, sslContext, host, port, userAgent, s);
    }

    /** Completes on the loop once everything handed to it before has run (tests: timers that fired). */
    CompletableFuture<Void> loopIdle() {
        CompletableFuture<Void> idle = new CompletableFuture<>();
        loop.execute(() -> idle.complete(null));
        return idle;
    }

    /** Journals every text frame this client receives from now on (null: stop). */
    void capture(FrameCapture.Tap tap) {
        captureTap = tap;
    }

    void ingestGate(IngestGate gate) {
        ingestGate = gate;
    }

    /** The gate a session pauses reading on, or null. */
    IngestGate ingestGate() {
        return ingestGate;
    }

    FrameCapture.Tap captureTap() {
        return captureTap;
    }

    void onHandshake(int gen, ChannelHandlerContext ctx) {
        if (gen == generation) {
            sessionCtx = ctx;
        }
    }

    void onServerStatus(int gen, String rawStatus, String rawMessage) {
        if (gen == generation) {
            protocol.onStatus(rawStatus, rawMessage);
        }
    }

    private void onAuthenticated() {
        authenticated = true;
        sessionStartNanos = timers.nanoTime();
        if (authTimer != null) {
            authTimer.cancel();
        }
        transition(ConnectionStatus.CONNECTED, "authenticated");
        int gen = generation;
        stableTimer = timers.once(() -> {
            if (gen == generation && authenticated) {
                policy.reset();
            }
        }, config.stablePeriod().toMillis());
        // An eviction long ago is not a conflict any more: after the longest eviction wait without
        // one, the next eviction starts the waits from the beginning again.
        evictionResetTimer = timers.once(() -> {
            if (gen == generation && authenticated) {
                consecutiveEvictions = 0;
            }
        }, config.evictionMaxBackoff().toMillis());
        protocol.replay();
        connectFuture.complete(null);
    }

    private void onEvicted(String message) {
        evicted = true;
        evictions.incrementAndGet();
        consecutiveEvictions++;
        String text = EVICTED + ": " + message;
        LOG.warn("{}: {}", connectionId, text);
        transition(ConnectionStatus.ERROR, text);
        closeSession("evicted (max_connections)");
    }

    /** Fatal for this connection until an operator reconnects: status error, no retries. */
    private void halt(String message) {
        LOG.warn("{}: {}; not retrying", connectionId, message);
        running = false;
        transition(ConnectionStatus.ERROR, message);
        failPending(new MassiveFeedException(message));
        generation++;
        cancelTimers();
        closeChannel();
    }

    private void closeSession(String reason) {
        if (session != null && sessionCtx != null) {
            session.close(sessionCtx, reason);
        } else if (channel != null) {
            channel.close();
        }
    }

    /** The channel of generation {@code gen} is gone (or never connected); decide what comes next. */
    void onSessionEnded(int gen, String reason) {
        if (gen != generation) {
            return;
        }
        long lived = authenticated ? timers.nanoTime() - sessionStartNanos : 0;
        channel = null;
        session = null;
        sessionCtx = null;
        authenticated = false;
        cancelTimers();
        ledger.sessionEnded();
        if (!running) {
            return;
        }
        if (evicted) {
            long base = config.evictionBackoff().toMillis();
            long wait = Math.min(config.evictionMaxBackoff().toMillis(),
                    base << Math.min(20, Math.max(0, consecutiveEvictions - 1)));
            // jitter so that two clients sharing a key never come back in step
            wait += (long) (ThreadLocalRandom.current().nextDouble() * Math.min(wait / 4, 30_000));
            LOG.warn("{}: evicted by another client using the same API key; retrying in {}s", connectionId,
                    wait / 1000);
            scheduleRetry(Duration.ofMillis(wait));
            return;
        }
        if (lived >= config.stablePeriod().toNanos()) {
            policy.reset();
        }
        if (!connectFuture.isDone() && sessions.get() == 1) {
            connectFuture.completeExceptionally(new MassiveFeedException(reason));
        }
        Duration delay = policy.nextDelay();
        if (delay == null) {
            running = false;
            String text = "gave up after " + policy.failures() + " failed attempts: " + reason;
            transition(ConnectionStatus.ERROR, text);
            failPending(new MassiveFeedException(text));
            return;
        }
        String verb = status == ConnectionStatus.CONNECTED ? "connection lost: " : "connection failed: ";
        LOG.info("{}: {}{}; retrying in {} ms", connectionId, verb, reason, delay.toMillis());
        transition(ConnectionStatus.ERROR, verb + reason);
        scheduleRetry(delay);
    }

    private void scheduleRetry(Duration delay) {
        retryTimer = timers.once(() -> {
            if (running) {
                transition(ConnectionStatus.CONNECTING, "reconnecting to " + config.redactedUrl());
                attempt();
            }
        }, delay.toMillis());
    }

    private void cancelTimers() {
        for (LoopTimers.Timer t : new LoopTimers.Timer[]{retryTimer, authTimer, stableTimer, evictionResetTimer}) {
            if (t != null) {
                t.cancel();
            }
        }
        retryTimer = authTimer = stableTimer = evictionResetTimer = null;
    }

    private void closeChannel() {
        Channel ch = channel;
        channel = null;
        session = null;
        sessionCtx = null;
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(new CloseWebSocketFrame(1000, "client closing"))
                    .addListener(f -> ch.close());
            ch.eventLoop().schedule(() -> ch.close(), 1, TimeUnit.SECONDS);
        } else if (ch != null) {
            ch.close();
        }
    }

    private void transition(ConnectionStatus next, String message) {
        ConnectionStatus current = status;
        if (current == next || !current.canTransitionTo(next)) {
            LOG.debug("{}: skipped status {} -> {} ({})", connectionId, current, next, message);
            return;
        }
        status = next;
        lastMessage = message;
        try {
            listener.onStatus(next, message);
        } catch (RuntimeException e) {
            LOG.warn("{}: status listener failed", connectionId, e);
        }
    }

    // ---- sending ---------------------------------------------------------------------------

    private void sendControl(String json) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            controlMessagesSent.incrementAndGet();
            ch.writeAndFlush(new TextWebSocketFrame(json));
        }
    }

    // ---- called by the session on the I/O thread -------------------------------------------

    void deliver(MarketEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            // a failing consumer must not cost the connection: count it, say so now and then
            listenerErrors.incrementAndGet();
            reportError("event listener failed: " + e, false);
        }
    }

    void afterFrame(MassiveFrameDecoder.Outcome outcome) {
        if (outcome == MassiveFrameDecoder.Outcome.MALFORMED) {
            reportError("malformed frame skipped (" + decoder.malformedFrames() + " so far)", false);
        } else if (decoder.unknownEvents() > reportedUnknown) {
            reportedUnknown = decoder.unknownEvents();
            reportError("unknown event type '" + SafeText.of(decoder.lastUnknownEvent(), 40) + "' skipped ("
                    + reportedUnknown + " so far)", false);
        } else if (decoder.invalidEvents() > reportedInvalid) {
            reportedInvalid = decoder.invalidEvents();
            reportError("invalid event skipped: " + decoder.lastInvalidReason() + " (" + reportedInvalid
                    + " so far)", false);
        }
    }


    /** Reports an error to the listener, at most about once a second unless {@code always}. */
    private void reportError(String message, boolean always) {
        long now = timers.nanoTime();
        if (!always && now - lastErrorReportNanos < ERROR_REPORT_INTERVAL_NANOS && lastErrorReportNanos != 0) {
            suppressedErrors++;
            return;
        }
        lastErrorReportNanos = now;
        String text = suppressedErrors > 0 ? message + " (+" + suppressedErrors + " similar not reported)" : message;
        suppressedErrors = 0;
        listener.onError(text);
    }

    /** An unexpected exception on this connection's pipeline: a bug, logged with its stack once per kind. */
    void internalError(String what, Throwable bug) {
        failures.report(what, bug);
    }

    void countPing() {
        pingsSent.incrementAndGet();
    }

    void countSilenceRecycle() {
        silenceRecycles.incrementAndGet();
    }

    @Override
    public String toString() {
        return "MassiveFeedClient[" + connectionId + ", " + status.wireName() + ", " + ledger.size() + " tickers]";
    }

    /** What the protocol may ask of this engine; kept off the public API. */
    private final class ProtocolEngine implements MassiveProtocol.Engine {
        @Override
        public void sendControl(String json) {
            MassiveFeedClient.this.sendControl(json);
        }

        @Override
        public void authenticated() {
            onAuthenticated();
        }

        @Override
        public void halt(String message) {
            MassiveFeedClient.this.halt(message);
        }

        @Override
        public void evicted(String message) {
            onEvicted(message);
        }

        @Override
        public void closeSession(String reason) {
            MassiveFeedClient.this.closeSession(reason);
        }

        @Override
        public void report(String message, boolean always) {
            reportError(message, always);
        }
    }
}
