package io.tickstock.emulator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tickstock.core.event.EventType;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A local Massive stocks WebSocket server for tests, benchmarks and demo mode: the same control
 * plane ({@code connected}, auth, per-item acks, {@code max_connections} eviction), deterministic
 * synthetic data, and {@link #faults() fault switches} flipped at run time.
 *
 * <pre>{@code
 * try (MassiveEmulator emu = MassiveEmulator.builder().apiKeys("k1").eventsPerSecond(5_000).build().start()) {
 *     connect a client to emu.url() ...
 *     emu.pauseStreaming();            // stop sending; counts are final once this returns
 *     emu.sessions().get(0).eventsSent();
 * }
 * }</pre>
 *
 * <p><b>Market time.</b> Every event is stamped from the {@linkplain Builder#clock(Clock) clock}:
 * the wall clock by default, or {@linkplain Builder#compressedDay(Duration) compressed trading
 * days} (pre-market, regular session, after hours of one weekday in a few seconds, then the next
 * weekday) for tests that must cross sessions. When the trading date (US/Eastern) changes, every
 * ticker's {@code q} starts again from a small value, as on the real feed;
 * {@link #startNextTradingDay()} moves a compressed clock on at once. Prices, sizes and sequence
 * numbers are the same for a seed; timestamps are the clock's.
 *
 * <p><b>Like the real feed.</b> Only listed tickers stream (the bundled sample universes,
 * {@code TK0000}–{@code TK99999}, the wildcard tickers, {@link Builder#knownTickers}); others are
 * acknowledged and silent. {@code q} increases but skips values now and then. {@code A} comes once
 * per second and {@code AM} once per minute per ticker, LULD when a band moves, FMV stamped in
 * nanoseconds. A connection whose backlog passes {@link Builder#maxBacklogBytes} is reset as a
 * slow consumer, never thinned. Prices walk around a plausible reference per ticker.
 *
 * <p><b>Counts.</b> Per connection {@link EmulatorSession#eventsSent(String, EventType)}; over all
 * connections {@link #distinctEventsSent(String, EventType)}, each event once however many
 * connections carried it: what a de-duplicating gateway must deliver.
 *
 * <p><b>Faults.</b> {@link FaultSwitches}: drops and clean closes (the client reconnects),
 * {@linkplain FaultSwitches#floodUnknownSymbols floods of never-subscribed symbols}, sequence
 * faults, malformed frames, authentication faults, slow-consumer kills, late pongs.
 *
 * <p>Concurrency: one event-loop thread runs the server, every session and the market, so none of
 * their state needs locks; introspection methods are safe from any thread.
 */
public final class MassiveEmulator implements AutoCloseable {
    private final Builder config;
    private final FaultSwitches faults;
    private final AtomicLong nextSessionId = new AtomicLong();
    private final List<EmulatorSession> allSessions = new CopyOnWriteArrayList<>();
    /** Authenticated open sessions per key, oldest first (event-loop thread only). */
    private final Map<String, Deque<EmulatorSession>> byKey = new HashMap<>();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong authFailures = new AtomicLong();
    private volatile MultiThreadIoEventLoopGroup group;
    private volatile EventLoop loop;
    private volatile SyntheticMarket market;
    private volatile ReplayMarket replay;
    private volatile Channel server;
    private volatile int port;

    private MassiveEmulator(Builder b) {
        this.config = b;
        this.faults = new FaultSwitches(this, b.authTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts streaming; returns this. */
    public synchronized MassiveEmulator start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("massive-emulator", true),
                NioIoHandler.newFactory());
        loop = group.next();
        market = new SyntheticMarket(loop, config.clock, config.seed, config.eventsPerSecond, config.batchSize,
                config.maxFrameBytes, config.wildcardTickers,
                new KnownTickers(config.wildcardTickers, config.knownTickers), config.eventTypes, faults);
        ServerBootstrap b = new ServerBootstrap()
                .group(group, group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.maxBacklogBytes / 2, config.maxBacklogBytes))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(new HttpServerCodec());
                        p.addLast(new HttpObjectAggregator(64 * 1024));
                        if (config.compression) {
                            p.addLast(new WebSocketServerCompressionHandler(MAX_INBOUND));
                        }
                        p.addLast(new PongDelayHandler(faults));
                        p.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                .websocketPath("/").checkStartsWith(true)
                                .allowExtensions(true)
                                .maxFramePayloadLength(MAX_INBOUND)
                                .handshakeTimeoutMillis(10_000)
                                .sendCloseFrame(null) // close frames only where the real feed sends them
                                .build()));
                        p.addLast(new WebSocketFrameAggregator(MAX_INBOUND));
                        p.addLast(new EmulatorHandler(MassiveEmulator.this));
                    }
                });
        try {
            server = b.bind(config.host, config.port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        port = ((InetSocketAddress) server.localAddress()).getPort();
        market.sequenceJumps(config.sequenceJumps);
        loop.submit(market::start).syncUninterruptibly();
        if (config.replay != null) { // a captured journal instead of synthetic data
            replay = new ReplayMarket(loop, config.replay, market::sessions, config.batchSize, config.maxFrameBytes);
            loop.submit(() -> {
                market.streaming(false);
                replay.start();
            }).syncUninterruptibly();
        }
        return this;
    }

    private static final int MAX_INBOUND = 1 << 20;

    /** Closes every connection and the server socket. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.close().syncUninterruptibly();
        loop.submit(() -> {
            for (EmulatorSession s : allSessions) {
                if (s.channel().isOpen()) {
                    s.markClosed("emulator stopped");
                    s.channel().close();
                }
            }
            market.stop();
            if (replay != null) {
                replay.stop();
            }
        }).syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        server = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** The bound port (the real one when built with port 0). */
    public int port() {
        return port;
    }

    /** {@code ws://<host>:<port>/stocks}. */
    public String url() {
        return "ws://" + config.host + ":" + port + "/stocks";
    }

    /** The replay source when built with {@link Builder#replay}; empty for synthetic data. */
    public java.util.Optional<ReplayMarket> replay() {
        return java.util.Optional.ofNullable(replay);
    }

    public FaultSwitches faults() {
        return faults;
    }

    /** Every session ever accepted, oldest first (closed ones included: see {@link EmulatorSession#isOpen()}). */
    public List<EmulatorSession> allSessions() {
        return List.copyOf(allSessions);
    }

    /** Open sessions, oldest first. */
    public List<EmulatorSession> sessions() {
        List<EmulatorSession> open = new ArrayList<>();
        for (EmulatorSession s : allSessions) {
            if (s.isOpen()) {
                open.add(s);
            }
        }
        return open;
    }

    /** Open, authenticated sessions, oldest first. */
    public List<EmulatorSession> authenticatedSessions() {
        List<EmulatorSession> open = new ArrayList<>();
        for (EmulatorSession s : allSessions) {
            if (s.isOpen() && s.isAuthenticated()) {
                open.add(s);
            }
        }
        return open;
    }

    /** The open session whose User-Agent contains {@code text}, e.g. a TickStock connection id; null if none. */
    public EmulatorSession sessionFor(String text) {
        EmulatorSession found = null;
        for (EmulatorSession s : allSessions) {
            if (s.isOpen() && s.userAgent().contains(text)) {
                found = s; // the newest wins
            }
        }
        return found;
    }

    /** Stops generating events and writes out every frame under construction; counts are final on return. */
    public void pauseStreaming() {
        loop.submit(() -> market.streaming(false)).syncUninterruptibly();
    }

    public void resumeStreaming() {
        loop.submit(() -> market.streaming(true)).syncUninterruptibly();
    }

    public boolean isStreaming() {
        return market.streaming();
    }

    /**
     * Whether {@code q} sometimes skips values (default true), as on the real feed, where it is
     * increasing but not always consecutive. Off: every ticker's {@code q} rises by exactly one
     * per event, so that a test can count sequence faults exactly.
     */
    public void sequenceJumps(boolean on) {
        market.sequenceJumps(on);
    }

    /** Changes the rate at run time; zero or less means as fast as the clients read. */
    public void eventsPerSecond(long rate) {
        market.eventsPerSecond(rate);
    }

    /** Distinct events generated (before fan-out to subscribers). */
    public long eventsGenerated() {
        return market.generated();
    }

    /** Distinct events generated for {@code ticker}, all channels. */
    public long eventsGenerated(String ticker) {
        return market.generated(ticker);
    }

    /** Distinct events of one type generated for {@code ticker}. */
    public long eventsGenerated(String ticker, EventType type) {
        return market.generated(ticker, type);
    }

    /**
     * Distinct events for {@code ticker}, all channels, written to at least one connection: what a
     * gateway that de-duplicates must deliver (a sequence-fault duplicate counts once; an event no
     * connection could take counts not at all).
     */
    public long distinctEventsSent(String ticker) {
        return market.distinctSent(ticker);
    }

    /** {@link #distinctEventsSent(String)} for one event type. */
    public long distinctEventsSent(String ticker, EventType type) {
        return market.distinctSent(ticker, type);
    }

    /** {@link #distinctEventsSent(String, EventType)} for every ticker and type that had any, sorted by ticker. */
    public Map<String, Map<EventType, Long>> distinctEventsSentPerTicker() {
        return market.distinctSentPerTicker();
    }

    /** Events of never-subscribed symbols written by {@link FaultSwitches#floodUnknownSymbols}, all sessions. */
    public long floodEventsSent() {
        long n = 0;
        for (EmulatorSession s : allSessions) {
            n += s.floodEventsSent();
        }
        return n;
    }

    /** The clock every event's timestamp comes from (see {@link Builder#clock(Clock)}). */
    public Clock clock() {
        return config.clock;
    }

    /** Market time now. */
    public Instant marketTime() {
        return config.clock.instant();
    }

    /** The market session at {@link #marketTime()}. */
    public MarketSession marketSession() {
        return MarketSession.at(marketTime());
    }

    /** The trading date (US/Eastern) at {@link #marketTime()}: every ticker's {@code q} restarts when it changes. */
    public LocalDate tradingDate() {
        return marketTime().atZone(MarketSession.EASTERN).toLocalDate();
    }

    /** Trading dates the generated events have moved through so far (0 before the first event). */
    public long tradingDaysSeen() {
        return market.tradingDaysSeen();
    }

    /**
     * With a {@link CompressedTradingDay} clock, jumps to 04:00 of the next trading day now: every
     * ticker's {@code q} restarts with the next event. Returns the new trading date.
     *
     * @throws IllegalStateException with any other clock
     */
    public LocalDate startNextTradingDay() {
        if (!(config.clock instanceof CompressedTradingDay day)) {
            throw new IllegalStateException("only a compressed trading day can be moved on; this clock is "
                    + config.clock);
        }
        return day.startNextDay();
    }

    /** Events written to all sessions (fan-out included). */
    public long eventsSent() {
        long n = 0;
        for (EmulatorSession s : allSessions) {
            n += s.eventsSent();
        }
        return n;
    }

    /** Sessions closed with {@code max_connections}. */
    public long evictions() {
        return evictions.get();
    }

    public long authFailures() {
        return authFailures.get();
    }

    public long slowConsumerKills() {
        return market.slowConsumerKills();
    }

    /** Total connection attempts that reached the emulator (sessions ever opened). */
    public long sessionsOpened() {
        return nextSessionId.get();
    }

    // ---- package-private, event-loop side ---------------------------------------------------

    long seed() {
        return config.seed;
    }

    AckMode ackMode() {
        return config.ackMode;
    }

    SyntheticMarket market() {
        return market;
    }

    boolean isValidKey(String key) {
        return config.apiKeys.contains(key);
    }

    void countAuthFailure() {
        authFailures.incrementAndGet();
    }

    EmulatorSession register(Channel ch) {
        EmulatorSession s = new EmulatorSession(nextSessionId.incrementAndGet(), ch);
        allSessions.add(s);
        market.add(s);
        // Keep the record bounded: forget the oldest closed sessions beyond a generous history.
        if (allSessions.size() > 1_000) {
            for (EmulatorSession old : allSessions) {
                if (!old.isOpen()) {
                    allSessions.remove(old);
                    break;
                }
            }
        }
        return s;
    }

    void unregister(EmulatorSession s) {
        if (s == null) {
            return;
        }
        s.markClosed("closed by client");
        market.remove(s);
        if (s.apiKey() != null) {
            Deque<EmulatorSession> q = byKey.get(s.apiKey());
            if (q != null) {
                q.remove(s);
            }
        }
    }

    /** The real feed's rule: a connection beyond the key's limit evicts the oldest one. */
    void enforceConnectionLimit(EmulatorSession newcomer) {
        Deque<EmulatorSession> q = byKey.computeIfAbsent(newcomer.apiKey(), k -> new ArrayDeque<>());
        q.addLast(newcomer);
        while (q.size() > config.maxConnectionsPerKey) {
            EmulatorSession oldest = q.pollFirst();
            evictions.incrementAndGet();
            market.remove(oldest);
            EmulatorHandler.evict(oldest);
        }
        market.subscriptionsChanged();
    }

    int onSessions(Predicate<EmulatorSession> selector, Consumer<EmulatorSession> action) {
        return loop.submit(() -> {
            int n = 0;
            for (EmulatorSession s : allSessions) {
                if (s.isOpen() && selector.test(s)) {
                    action.accept(s);
                    n++;
                }
            }
            return n;
        }).syncUninterruptibly().getNow();
    }

    /** Emulator settings; every one has a default that suits tests. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Set<String> apiKeys = Set.of("test-key");
        private long eventsPerSecond = 1_000;
        private int batchSize = 100;
        private int maxFrameBytes = 256 * 1024;
        private int maxConnectionsPerKey = 3;
        private long seed = 42;
        private Duration authTimeout = Duration.ofSeconds(10);
        private AckMode ackMode = AckMode.MIXED;
        private boolean compression = true;
        private int maxBacklogBytes = 8 * 1024 * 1024;
        private List<String> wildcardTickers = DEFAULT_WILDCARD;
        private List<String> knownTickers = List.of();
        private boolean sequenceJumps = true;
        private Clock clock = Clock.systemUTC();
        private Set<EventType> eventTypes =
                java.util.EnumSet.allOf(EventType.class);
        private ReplayOptions replay;

        private static final List<String> DEFAULT_WILDCARD = List.of("AAPL", "MSFT", "GOOGL", "AMZN", "NVDA",
                "META", "TSLA", "NFLX", "AMD", "INTC", "JPM", "BAC", "WMT", "XOM", "KO", "PEP", "DIS", "V", "MA",
                "UNH");

        private Builder() {
        }

        /** Loopback by default. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** 0 (default) picks a free port; see {@link MassiveEmulator#port()}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder apiKeys(String... keys) {
            this.apiKeys = Set.of(keys);
            return this;
        }

        public Builder apiKeys(java.util.Collection<String> keys) {
            this.apiKeys = Set.copyOf(keys);
            return this;
        }

        /** Distinct events per second over all subscriptions; zero or less: as fast as clients read. */
        public Builder eventsPerSecond(long rate) {
            this.eventsPerSecond = rate;
            return this;
        }

        /** Most events in one frame (default 100). */
        public Builder batchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batch size must be at least 1");
            }
            this.batchSize = size;
            return this;
        }

        /** Largest data frame in bytes (default 256 KiB; real servers stay well below 1 MB). */
        public Builder maxFrameBytes(int bytes) {
            if (bytes < 1_024 || bytes > 1 << 20) {
                throw new IllegalArgumentException("max frame bytes must be between 1 KiB and 1 MiB");
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /** Authenticated connections per key; one more evicts the oldest (default 3). */
        public Builder maxConnectionsPerKey(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max connections must be at least 1");
            }
            this.maxConnectionsPerKey = max;
            return this;
        }

        /**
         * Market time: every event's timestamp, and the trading date whose change restarts every
         * ticker's {@code q} (default: the system clock, so timestamps are now). A test drives time
         * with its own clock or a {@link CompressedTradingDay}. The stream flows at the configured
         * rate whatever the session, so that demos and tests work at any hour.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Compressed trading days on the system clock: pre-market, regular session and after hours
         * (04:00–20:00 US/Eastern) of one weekday in {@code dayLength} of real time, then the next
         * weekday, starting with today's date. Shorthand for
         * {@code clock(CompressedTradingDay.startingToday(dayLength))}.
         */
        public Builder compressedDay(Duration dayLength) {
            return clock(CompressedTradingDay.startingToday(dayLength));
        }

        /** See {@link MassiveEmulator#sequenceJumps(boolean)} (default true). */
        public Builder sequenceJumps(boolean on) {
            this.sequenceJumps = on;
            return this;
        }

        /** The same seed gives the same stream per ticker and channel (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Time allowed before {@code auth_timeout} (default 10 s; zero: never). */
        public Builder authTimeout(Duration timeout) {
            this.authTimeout = timeout;
            return this;
        }

        public Builder ackMode(AckMode mode) {
            this.ackMode = mode;
            return this;
        }

        /** Whether permessage-deflate is offered to clients that ask for it (default true). */
        public Builder compression(boolean on) {
            this.compression = on;
            return this;
        }

        /**
         * Outbound bytes queued per connection before it counts as a slow consumer and is reset,
         * as the real server cuts off a reader that cannot keep up (default 8 MiB). At full speed
         * (rate zero) the emulator instead waits for the slowest reader.
         */
        public Builder maxBacklogBytes(int bytes) {
            this.maxBacklogBytes = bytes;
            return this;
        }

        /** The tickers a {@code *} subscription streams (default: 20 large US stocks). */
        public Builder wildcardTickers(List<String> tickers) {
            this.wildcardTickers = List.copyOf(tickers);
            return this;
        }

        /**
         * Tickers the market lists besides the bundled sample universes' tickers, the synthetic
         * {@code TK0000}–{@code TK99999} and the wildcard tickers (default: none). Subscriptions to
         * tickers it does not list are acknowledged and stay silent, as on the real feed.
         */
        public Builder knownTickers(Collection<String> tickers) {
            this.knownTickers = List.copyOf(tickers);
            return this;
        }

        /**
         * The channels that carry data (default: all). Subscriptions to the others are acknowledged
         * and stay silent, like a plan without that entitlement.
         */
        public Builder eventTypes(EventType... types) {
            this.eventTypes = types.length == 0 ? java.util.EnumSet.noneOf(EventType.class)
                    : java.util.EnumSet.copyOf(List.of(types));
            return this;
        }

        /**
         * Serves a capture written with {@code TICKSTOCK_CAPTURE_DIR} instead of synthetic data (see
         * {@link ReplayMarket}); the source is checked here.
         */
        public Builder replay(ReplayOptions options) {
            ReplayMarket.check(options);
            this.replay = options;
            return this;
        }

        public MassiveEmulator build() {
            return new MassiveEmulator(this);
        }
    }
}
