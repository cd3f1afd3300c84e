package io.tickstock.feed.massive;

import io.tickstock.core.log.SafeText;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.tickstock.core.config.Durations;
import io.tickstock.feed.massive.capture.FrameCapture;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedClient;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Massive WebSocket connection: connects, authenticates, subscribes its ticker set (in small
 * batches, acknowledged per item), decodes events on its I/O thread straight to the
 * {@link FeedListener}, and reconnects by its {@link ReconnectPolicy}, resubscribing everything.
 *
 * <p>Concurrency: the client is pinned to one event loop of the shared group. Every state change
 * runs on that loop (public methods hand their work over with {@code loop.execute}); fields read
 * from other threads are volatile or concurrent.
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
    private final SubscriptionBatcher batcher;
    private final ReconnectPolicy policy;
    private final String userAgent;
    private volatile FrameCapture.Tap captureTap; // null: capture is off

    /** The subscription set (tickers); the single source of truth replayed after every reconnect. */
    private final Set<String> tickers = ConcurrentHashMap.newKeySet();

    // ---- event-loop state ----
    private volatile ConnectionStatus status = ConnectionStatus.DISCONNECTED;
    private volatile String lastMessage;
    private volatile boolean running;
    private int generation;
    private Channel channel;
    private ChannelHandlerContext sessionCtx;
    private MassiveSession session;
    private boolean authenticated;
    private boolean authFailed;
    private boolean evicted;
    private int consecutiveEvictions;
    private long sessionStartNanos;
    private ScheduledFuture<?> retryTimer;
    private ScheduledFuture<?> authTimer;
    private ScheduledFuture<?> stableTimer;
    private ScheduledFuture<?> evictionResetTimer;
    private CompletableFuture<Void> connectFuture = new CompletableFuture<>();
    private final Map<String, List<AckWaiter>> pendingSubscribe = new HashMap<>();
    private final Map<String, List<AckWaiter>> pendingUnsubscribe = new HashMap<>();
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
    private final AtomicLong serverErrors = new AtomicLong(); // "error" statuses, e.g. a refused subscription

    MassiveFeedClient(MassiveConfig config, String connectionId, FeedListener listener, EventLoop loop,
                      SslContext sslContext) {
        this.config = config;
        this.connectionId = connectionId;
        this.listener = listener;
        this.loop = loop;
        this.sslContext = sslContext;
        this.decoder = new MassiveFrameDecoder(connectionId);
        this.batcher = new SubscriptionBatcher(config.subscribeBatchItems(), config.subscribeBatchBytes());
        this.policy = new ReconnectPolicy(config.reconnectDelay(), config.reconnectMaxDelay(), config.maxRetries(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.userAgent = "TickStock/0.1 (" + connectionId + ")";
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

    @Override
    public Set<String> subscriptions() {
        return Set.copyOf(tickers);
    }

    /** A snapshot of this connection's counters. */
    /** Tickers refused before subscribing (not valid tickers), and {@code error} statuses from the server. */
    public Map<String, Long> rejections() {
        return Map.of("rejected_tickers", rejectedTickers.get(), "server_errors", serverErrors.get());
    }

    public MassiveFeedStats stats() {
        return new MassiveFeedStats(connectionId, status.wireName(), decoder.frames(), decoder.bytes(),
                decoder.events(), decoder.unknownEvents(), decoder.unknownFields(), decoder.malformedFrames(),
                decoder.invalidEvents(), sessions.get(), reconnects.get(), evictions.get(), silenceRecycles.get(),
                pingsSent.get(), controlMessagesSent.get(), listenerErrors.get(), tickers.size());
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
            authFailed = false;
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
        Runnable stop = () -> {
            generation++; // callbacks of the old channel are ignored from now on
            cancelTimers();
            closeChannel();
            authenticated = false;
            transition(ConnectionStatus.DISCONNECTED, "stopped");
            completeAll(pendingUnsubscribe);
            if (!connectFuture.isDone()) {
                connectFuture.completeExceptionally(new java.util.concurrent.CancellationException("disconnected"));
            }
        };
        return onLoop(stop);
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
        } catch (java.util.concurrent.RejectedExecutionException e) {
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
            authFailed = false;
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
        tickers.addAll(valid);
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.execute(() -> {
            List<String> params = params(valid);
            AckWaiter w = new AckWaiter(params.size(), f);
            for (String p : params) {
                pendingSubscribe.computeIfAbsent(p, k -> new ArrayList<>(1)).add(w);
            }
            if (authenticated) {
                send("subscribe", params);
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
        valid.forEach(tickers::remove);
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.execute(() -> {
            List<String> params = params(valid);
            for (String p : params) {
                ack(pendingSubscribe, p); // no longer wanted: a caller waiting for it is done
            }
            if (!authenticated) {
                f.complete(null);
                return;
            }
            AckWaiter w = new AckWaiter(params.size(), f);
            for (String p : params) {
                pendingUnsubscribe.computeIfAbsent(p, k -> new ArrayList<>(1)).add(w);
            }
            send("unsubscribe", params);
        });
        return f;
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

    private List<String> params(Collection<String> forTickers) {
        List<String> params = new ArrayList<>(forTickers.size() * config.channels().size());
        for (EventType channelType : config.channels()) {
            for (String t : forTickers) {
                params.add(channelType.code() + "." + t);
            }
        }
        return params;
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
        authTimer = loop.schedule(() -> {
            if (gen == generation && !authenticated && session != null && sessionCtx != null) {
                session.close(sessionCtx, "not authenticated within " + Durations.format(config.connectTimeout()));
            } else if (gen == generation && !authenticated && channel != null) {
                channel.close();
            }
        }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pipeline(ChannelPipeline p, int gen, String host, int port) {
        channel = p.channel();
        if (sslContext != null) {
            p.addLast(sslContext.newHandler(p.channel().alloc(), host, port));
        }
        p.addLast(new IdleStateHandler(config.silenceTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast(new HttpClientCodec());
        p.addLast(new HttpObjectAggregator(64 * 1024));
        if (config.compression()) {
            p.addLast(new WebSocketClientCompressionHandler(config.maxFrameBytes()));
        }
        p.addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(config.url())
                .customHeaders(new DefaultHttpHeaders().set(HttpHeaderNames.USER_AGENT, userAgent))
                .allowExtensions(true)
                .maxFramePayloadLength(config.maxFrameBytes())
                .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                .handleCloseFrames(false)
                .dropPongFrames(true)
                .withUTF8Validator(false) // the JSON parser rejects bad UTF-8 itself; validating twice halves throughput
                .build()));
        p.addLast(new WebSocketFrameAggregator(config.maxFrameBytes()));
        MassiveSession s = new MassiveSession(this, gen, decoder, config.pingInterval().toMillis());
        session = s;
        p.addLast(s);
    }

    /** Journals every text frame this client receives from now on (null: stop). */
    void capture(FrameCapture.Tap tap) {
        captureTap = tap;
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
        if (gen != generation) {
            return;
        }
        // the server's words go to the log, the status API and the page: escaped and capped first
        String serverStatus = String.valueOf(rawStatus);
        String message = SafeText.of(rawMessage);
        switch (serverStatus) {
            case "connected" -> {
                if (config.apiKey().isEmpty()) {
                    halt("MASSIVE_API_KEY is not set");
                    return;
                }
                writeControl("{\"action\":\"auth\",\"params\":" + jsonString(config.apiKey().get().reveal()) + "}");
            }
            case "auth_success" -> onAuthenticated();
            case "auth_failed" -> {
                authFailed = true;
                halt("auth_failed: " + message);
            }
            case "auth_timeout" -> closeSession("auth_timeout: " + message);
            case "max_connections" -> onEvicted(message);
            case "success" -> onAck(message);
            case "error" -> {
                serverErrors.incrementAndGet();
                reportError("server error: " + message, true);
            }
            default -> reportError("server status " + SafeText.of(serverStatus, 40) + ": " + message, false);
        }
    }

    private void onAuthenticated() {
        authenticated = true;
        sessionStartNanos = System.nanoTime();
        if (authTimer != null) {
            authTimer.cancel(false);
        }
        transition(ConnectionStatus.CONNECTED, "authenticated");
        int gen = generation;
        stableTimer = loop.schedule(() -> {
            if (gen == generation && authenticated) {
                policy.reset();
            }
        }, config.stablePeriod().toMillis(), TimeUnit.MILLISECONDS);
        // An eviction long ago is not a conflict any more: after the longest eviction wait without
        // one, the next eviction starts the waits from the beginning again.
        evictionResetTimer = loop.schedule(() -> {
            if (gen == generation && authenticated) {
                consecutiveEvictions = 0;
            }
        }, config.evictionMaxBackoff().toMillis(), TimeUnit.MILLISECONDS);
        if (!tickers.isEmpty()) {
            send("subscribe", params(new TreeSet<>(tickers)));
        }
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

    private void onAck(String message) {
        if (message.startsWith("subscribed to: ")) {
            ack(pendingSubscribe, message.substring("subscribed to: ".length()).strip());
        } else if (message.startsWith("unsubscribed to: ")) {
            ack(pendingUnsubscribe, message.substring("unsubscribed to: ".length()).strip());
        } else if (message.startsWith("unsubscribed from: ")) {
            ack(pendingUnsubscribe, message.substring("unsubscribed from: ".length()).strip());
        }
    }

    private static void ack(Map<String, List<AckWaiter>> pending, String param) {
        List<AckWaiter> waiters = pending.remove(param);
        if (waiters != null) {
            for (AckWaiter w : waiters) {
                w.acked();
            }
        }
    }

    private static void completeAll(Map<String, List<AckWaiter>> pending) {
        for (List<AckWaiter> ws : pending.values()) {
            for (AckWaiter w : ws) {
                w.future.complete(null);
            }
        }
        pending.clear();
    }

    /** Fatal for this connection until an operator reconnects: status error, no retries. */
    private void halt(String message) {
        LOG.warn("{}: {}; not retrying", connectionId, message);
        running = false;
        transition(ConnectionStatus.ERROR, message);
        if (!connectFuture.isDone()) {
            connectFuture.completeExceptionally(new MassiveFeedException(message));
        }
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
        long lived = authenticated ? System.nanoTime() - sessionStartNanos : 0;
        channel = null;
        session = null;
        sessionCtx = null;
        authenticated = false;
        cancelTimers();
        completeAll(pendingUnsubscribe); // the resubscription after a reconnect leaves them out anyway
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
            if (!connectFuture.isDone()) {
                connectFuture.completeExceptionally(new MassiveFeedException(text));
            }
            return;
        }
        String verb = status == ConnectionStatus.CONNECTED ? "connection lost: " : "connection failed: ";
        LOG.info("{}: {}{}; retrying in {} ms", connectionId, verb, reason, delay.toMillis());
        transition(ConnectionStatus.ERROR, verb + reason);
        scheduleRetry(delay);
    }

    private void scheduleRetry(Duration delay) {
        retryTimer = loop.schedule(() -> {
            if (running) {
                transition(ConnectionStatus.CONNECTING, "reconnecting to " + config.redactedUrl());
                attempt();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> t : new ScheduledFuture<?>[]{retryTimer, authTimer, stableTimer, evictionResetTimer}) {
            if (t != null) {
                t.cancel(false);
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

    private void send(String action, List<String> params) {
        for (SubscriptionBatcher.Batch batch : batcher.batches(action, params)) {
            writeControl(batch.json());
        }
    }

    private void writeControl(String json) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            controlMessagesSent.incrementAndGet();
            ch.writeAndFlush(new TextWebSocketFrame(json));
        }
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
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
        long now = System.nanoTime();
        if (!always && now - lastErrorReportNanos < ERROR_REPORT_INTERVAL_NANOS && lastErrorReportNanos != 0) {
            suppressedErrors++;
            return;
        }
        lastErrorReportNanos = now;
        String text = suppressedErrors > 0 ? message + " (+" + suppressedErrors + " similar not reported)" : message;
        suppressedErrors = 0;
        listener.onError(text);
    }

    void countPing() {
        pingsSent.incrementAndGet();
    }

    void countSilenceRecycle() {
        silenceRecycles.incrementAndGet();
    }

    @Override
    public String toString() {
        return "MassiveFeedClient[" + connectionId + ", " + status.wireName() + ", " + tickers.size() + " tickers]";
    }

    /** Completes one subscribe/unsubscribe call once every one of its params is acknowledged. */
    private static final class AckWaiter {
        private int remaining;
        private final CompletableFuture<Void> future;

        AckWaiter(int remaining, CompletableFuture<Void> future) {
            this.remaining = remaining;
            this.future = future;
            if (remaining == 0) {
                future.complete(null);
            }
        }

        void acked() {
            if (--remaining == 0) {
                future.complete(null);
            }
        }
    }
}
