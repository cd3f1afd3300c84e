package io.tickstock.benchmarks.admin;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tickstock.admin.GatewayApp;
import io.tickstock.core.config.Settings;
import io.tickstock.emulator.MassiveEmulator;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What open dashboards cost ingest: the Massive emulator at full speed (as fast as the gateway
 * reads) → three connections → the gateway (no Redis, in-process bus, admin server) with 0, 1 and
 * 10 {@code /admin-ws} clients logged in, measured in alternating rounds in one run. The clients
 * are Netty WebSocket clients that offer permessage-deflate as browsers do and only count bytes.
 * Prints, per number of dashboards, the median ingest events/s and the gateway's CPU per event
 * (the JVM's CPU minus the emulator's and the clients' threads), then the cost of N dashboards
 * against none.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tickstock.benchmarks.admin.DashboardCostHarness \
 *      [--dashboards 0,1,10] [--rounds 3] [--seconds 5] [--warmup 3] [--tickers 1000] [--channels T,Q]
 *      [--batch 100] [--offer-deflate true] [--initial-warmup 15] [--gateway-settings KEY=VALUE,...]
 * </pre>
 * {@code --gateway-settings} adds settings of the gateway, e.g. {@code MASSIVE_WEBSOCKET_IO_THREADS=1}.
 * The last line starts with {@code SUMMARY dashboard-cost} and carries every figure, for scripts.
 */
public final class DashboardCostHarness {
    private static final String KEY = "bench-key-0123456789";
    private static final String PASSWORD = "bench-password-1";
    private static final String CLIENT_THREADS = "dashboard-client";
    private static final String EMULATOR_THREADS = "massive-emulator";
    private static final int MAX_FRAME = 64 * 1024 * 1024;

    /** One measured phase: {@code dashboards} open for the window. */
    public record Phase(int dashboards, double eventsPerSecond, double gatewayCpuMicrosPerEvent,
                        double jvmCpuMicrosPerEvent, double servingCpuMillisPerSecond, double clientCpuMillisPerSecond,
                        double dashboardMegabytesPerSecond, boolean deflateNegotiated) {
    }

    private final List<Integer> counts = new ArrayList<>();
    private final int rounds;
    private final int seconds;
    private final int warmup;
    private final int initialWarmup;
    private final int tickersPerConnection;
    private final String channels;
    private final int batch;
    private final boolean offerDeflate;
    private final Map<String, String> gatewaySettings = new LinkedHashMap<>();

    private DashboardCostHarness(Map<String, String> opts) {
        for (String n : opts.getOrDefault("dashboards", "0,1,10").split(",")) {
            counts.add(Integer.parseInt(n.strip()));
        }
        rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
        seconds = Integer.parseInt(opts.getOrDefault("seconds", "5"));
        warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
        initialWarmup = Integer.parseInt(opts.getOrDefault("initial-warmup", "15"));
        tickersPerConnection = Integer.parseInt(opts.getOrDefault("tickers", "1000"));
        channels = opts.getOrDefault("channels", "T,Q");
        batch = Integer.parseInt(opts.getOrDefault("batch", "100"));
        offerDeflate = Boolean.parseBoolean(opts.getOrDefault("offer-deflate", "true"));
        for (String kv : opts.getOrDefault("gateway-settings", "").split(",")) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--gateway-settings takes KEY=VALUE[,KEY=VALUE...], got " + kv);
            }
            gatewaySettings.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
        }
    }

    public static void main(String[] args) throws Exception {
        // Netty logs at DEBUG under logback's default configuration; the figures need a clean console
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new DashboardCostHarness(opts).run();
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "Dashboard cost: emulator at full speed, 3 connections x %d tickers, channels %s, "
                        + "batch %d; dashboards %s (clients %s permessage-deflate); %d rounds of %d s after %d s warm-up each (%d s before the first); "
                        + "gateway settings %s; %d cores; load average %s%n", tickersPerConnection, channels, batch, counts,
                offerDeflate ? "offer" : "do not offer", rounds, seconds, warmup, initialWarmup, gatewaySettings,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        Map<Integer, List<Phase>> byCount = new LinkedHashMap<>();
        counts.forEach(n -> byCount.put(n, new ArrayList<>()));
        MultiThreadIoEventLoopGroup clients = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory(CLIENT_THREADS, true), NioIoHandler.newFactory());
        try (MassiveEmulator emulator = MassiveEmulator.builder().apiKeys(KEY).eventsPerSecond(0).batchSize(batch)
                .maxConnectionsPerKey(3).build().start();
             GatewayApp app = GatewayApp.start(Settings.of(settings(emulator.url())),
                     new PrintStream(new ByteArrayOutputStream()))) {
            URI uri = URI.create("ws://127.0.0.1:" + app.server().port() + "/admin-ws");
            phase(app, clients, uri, counts.get(counts.size() - 1), initialWarmup); // JIT warm-up of both paths, not counted
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < counts.size(); i++) {
                    int n = counts.get((i + r) % counts.size()); // a different order each round: drift spreads evenly
                    Phase p = phase(app, clients, uri, n, warmup);
                    byCount.get(n).add(p);
                    System.out.printf(Locale.ROOT, "  round %d, %2d dashboards: %,12.0f events/s  gateway %.2f CPU-us/event"
                                    + "  (JVM %.2f)  serving %.1f CPU-ms/s  clients %.1f CPU-ms/s  %.1f MB/s to dashboards%s%n",
                            r + 1, n, p.eventsPerSecond, p.gatewayCpuMicrosPerEvent, p.jvmCpuMicrosPerEvent,
                            p.servingCpuMillisPerSecond, p.clientCpuMillisPerSecond, p.dashboardMegabytesPerSecond,
                            p.deflateNegotiated ? "  [deflate negotiated]" : "");
                }
            }
            System.out.println("  admin stream: " + app.server().stream().health());
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        summarise(byCount);
    }

    private Map<String, String> settings(String url) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("MASSIVE_API_KEY", KEY);
        m.put("MASSIVE_WEBSOCKET_URL", url);
        m.put("MASSIVE_SUBSCRIPTION_CHANNELS", channels);
        m.put("USE_MULTI_CONNECTION", "true");
        for (int c = 1; c <= 3; c++) {
            StringJoiner j = new StringJoiner(",");
            for (int i = 0; i < tickersPerConnection; i++) {
                j.add(String.format(Locale.ROOT, "TK%05d", c * tickersPerConnection + i));
            }
            m.put("WEBSOCKET_CONNECTION_" + c + "_ENABLED", "true");
            m.put("WEBSOCKET_CONNECTION_" + c + "_SYMBOLS", j.toString());
        }
        m.put("ADMIN_PORT", "0");
        m.put("ADMIN_PASSWORD", PASSWORD);
        m.put("ADMIN_AUDIT_LOG", Files.createTempFile("tickstock-bench-audit", ".log").toString());
        m.put("ADMIN_RATE_LIMIT_WS", "1000/1m");
        m.putAll(gatewaySettings);
        return m;
    }

    /** Opens {@code n} dashboards, warms up, measures one window, closes them. */
    private Phase phase(GatewayApp app, MultiThreadIoEventLoopGroup group, URI uri, int n, int warmupSeconds)
            throws Exception {
        AtomicLong bytes = new AtomicLong();
        List<Channel> open = new ArrayList<>();
        List<String> negotiated = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            open.add(login(app, group, uri, bytes, negotiated, i + 1));
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds)); // a harness, not a test: fixed-length phases
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long events0 = app.manager().getHealthStatus().totalTicksReceived();
        long jvm0 = processCpuNanos();
        long clients0 = cpuNanos(mx, CLIENT_THREADS);
        long excluded0 = cpuNanos(mx, EMULATOR_THREADS) + clients0;
        long serving0 = servingCpuNanos(mx);
        long bytes0 = bytes.get();
        long t0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long events = app.manager().getHealthStatus().totalTicksReceived() - events0;
        long jvm = processCpuNanos() - jvm0;
        long clients = cpuNanos(mx, CLIENT_THREADS) - clients0;
        long excluded = cpuNanos(mx, EMULATOR_THREADS) + clients + clients0 - excluded0;
        long serving = servingCpuNanos(mx) - serving0;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double mbps = (bytes.get() - bytes0) / elapsed / 1e6;
        for (Channel c : open) {
            c.close().syncUninterruptibly();
        }
        await(() -> app.server().stream().sessionCount() == 0, "dashboards to leave");
        boolean deflate = negotiated.stream().anyMatch(h -> h.contains("permessage-deflate"));
        return new Phase(n, events / elapsed, (jvm - excluded) / 1e3 / Math.max(1, events), jvm / 1e3 / Math.max(1, events),
                serving / 1e6 / elapsed, clients / 1e6 / elapsed, mbps, deflate);
    }

    /**
     * Opens one dashboard and waits until it is registered. One at a time, retried: the server
     * checks at most one password per two cores at once and answers 503 to the rest.
     */
    private Channel login(GatewayApp app, MultiThreadIoEventLoopGroup group, URI uri, AtomicLong bytes,
                          List<String> negotiated, int expected) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Channel c = connect(group, uri, bytes, negotiated);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (c.isActive() && app.server().stream().sessionCount() < expected && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (app.server().stream().sessionCount() >= expected) {
                return c;
            }
            c.close().syncUninterruptibly();
            if (attempt == 5) {
                throw new IllegalStateException("dashboard " + expected + " could not log in");
            }
        }
    }

    private Channel connect(MultiThreadIoEventLoopGroup group, URI uri, AtomicLong bytes, List<String> negotiated)
            throws Exception {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.AUTHORIZATION, "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        var handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null,
                true, headers, MAX_FRAME);
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        ChannelPipeline p = c.pipeline();
                        p.addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024));
                        p.addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof FullHttpResponse r) {
                                    String ext = r.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
                                    synchronized (negotiated) {
                                        negotiated.add(ext == null ? "" : ext);
                                    }
                                }
                                ctx.fireChannelRead(msg);
                            }
                        });
                        if (offerDeflate) {
                            p.addLast(new WebSocketClientCompressionHandler(MAX_FRAME));
                        }
                        // no UTF-8 check of the frames: a browser's work, not the gateway's, on the gateway's cores here
                        p.addLast(new WebSocketClientProtocolHandler(handshaker,
                                WebSocketClientProtocolConfig.newBuilder().withUTF8Validator(false).build()));
                        p.addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof WebSocketFrame f) {
                                    bytes.addAndGet(f.content().readableBytes()); // count only: a cheap browser
                                }
                                ReferenceCountUtil.release(msg);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close(); // a refused handshake (503) is retried by login()
                            }
                        });
                    }
                }).connect(uri.getHost(), uri.getPort()).sync().channel();
        return ch;
    }

    private void summarise(Map<Integer, List<Phase>> byCount) {
        System.out.println("Medians:");
        Map<Integer, Phase> median = new LinkedHashMap<>();
        byCount.forEach((n, phases) -> median.put(n, medianOf(phases)));
        Phase none = median.get(0);
        StringJoiner summary = new StringJoiner("; ", "SUMMARY dashboard-cost ", "");
        median.forEach((n, p) -> {
            String cost = none == null || n == 0 ? ""
                    : String.format(Locale.ROOT, " cost %.1f%%", 100 * (1 - p.eventsPerSecond / none.eventsPerSecond));
            System.out.printf(Locale.ROOT, "  %2d dashboards: %,12.0f events/s  gateway %.2f CPU-us/event  (JVM %.2f)"
                            + "  serving %.1f CPU-ms/s  clients %.1f CPU-ms/s  %.1f MB/s to dashboards%s%n", n,
                    p.eventsPerSecond, p.gatewayCpuMicrosPerEvent, p.jvmCpuMicrosPerEvent, p.servingCpuMillisPerSecond,
                    p.clientCpuMillisPerSecond, p.dashboardMegabytesPerSecond, cost);
            summary.add(String.format(Locale.ROOT, "N=%d %.0f ev/s %.2f gw-cpu-us/ev serving %.1f cpu-ms/s%s", n,
                    p.eventsPerSecond, p.gatewayCpuMicrosPerEvent, p.servingCpuMillisPerSecond, cost));
        });
        System.out.println("  (cost = 1 - ingest with N dashboards / ingest with none; target for 10: <= 10%;"
                + " serving = CPU of the admin-stream and Jetty threads per second; clients = the in-process dashboard"
                + " clients' CPU per second, which a browser elsewhere would not take from the gateway; medians by ingest)");
        System.out.println(summary + "; load average " + loadAverage());
    }

    private static Phase medianOf(List<Phase> phases) {
        List<Phase> sorted = new ArrayList<>(phases);
        sorted.sort((a, b) -> Double.compare(a.eventsPerSecond, b.eventsPerSecond));
        return sorted.get(sorted.size() / 2);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU nanoseconds used so far by the live threads whose name starts with {@code prefix}. */
    private static long cpuNanos(ThreadMXBean mx, String prefix) {
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                long ns = mx.getThreadCpuTime(t.getId());
                total += Math.max(0, ns);
            }
        }
        return total;
    }

    /** CPU of the threads that serve dashboards: the stream's flusher and Jetty's pool (writes, handshakes). */
    private static long servingCpuNanos(ThreadMXBean mx) {
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.startsWith("admin-stream") || name.startsWith("qtp") || name.contains("Jetty")) {
                total += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "n/a";
        }
    }
}
