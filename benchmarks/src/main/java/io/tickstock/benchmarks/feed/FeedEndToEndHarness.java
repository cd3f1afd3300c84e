package io.tickstock.benchmarks.feed;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.event.EventType;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.feed.massive.MassiveFeedClientFactory;
import io.tickstock.feed.massive.capture.CaptureConfig;
import io.tickstock.feed.massive.capture.FrameCapture;
import io.tickstock.emulator.EmulatorSession;
import io.tickstock.emulator.MassiveEmulator;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * End to end on one machine: the emulator at full speed (as fast as its readers take it) → three
 * Massive connections → {@link MultiConnectionManager} → a counting sink, beside the same emulator
 * → three readers that only discard bytes (the ceiling of what emulator and loopback can move).
 * Prints events/s of both and their ratio (target ≥ 0.7).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tickstock.benchmarks.feed.FeedEndToEndHarness \
 *      [--tickers 1000] [--channels T,Q] [--seconds 10] [--warmup 5] [--compression false] [--batch 100]
 *      [--rate 0] [--client-threads <MASSIVE_WEBSOCKET_IO_THREADS default>] [--capture <dir>]
 * </pre>
 * With {@code --capture <dir>} the pipeline's connections journal every frame there
 * ({@code TICKSTOCK_CAPTURE_DIR}), and the capture thread's CPU and drops are printed.
 * With {@code --rate N} the emulator offers a fixed N events/s instead of full speed, and the
 * pipeline run also checks that every event sent was received.
 */
public final class FeedEndToEndHarness {
    private static final String KEY = "bench-key";
    private static final List<String> IDS = List.of("connection_1", "connection_2", "connection_3");

    private final int tickersPerConnection;
    private final List<EventType> channels;
    private final int seconds;
    private final int warmup;
    private final boolean compression;
    private final int batch;
    private final long rate;
    private final int clientThreads;
    private final String captureDir;

    private FeedEndToEndHarness(Map<String, String> opts) {
        tickersPerConnection = Integer.parseInt(opts.getOrDefault("tickers", "1000"));
        channels = new ArrayList<>();
        for (String c : opts.getOrDefault("channels", "T,Q").split(",")) {
            channels.add(EventType.fromCode(c.strip().toUpperCase(Locale.ROOT)));
        }
        seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
        warmup = Integer.parseInt(opts.getOrDefault("warmup", "5"));
        compression = Boolean.parseBoolean(opts.getOrDefault("compression", "false"));
        batch = Integer.parseInt(opts.getOrDefault("batch", "100"));
        rate = Long.parseLong(opts.getOrDefault("rate", "0"));
        clientThreads = Integer.parseInt(opts.getOrDefault("client-threads", "0")); // 0: the client's default
        captureDir = opts.get("capture");
    }

    public static void main(String[] args) throws Exception {
        quietLogs();
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new FeedEndToEndHarness(opts).run();
    }

    /** Netty logs at DEBUG under logback's default configuration; the figures need a clean console. */
    static void quietLogs() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private record Result(double eventsPerSecond, double bytesPerSecond) {
    }

    /** CPU nanoseconds used so far by the live threads whose name starts with {@code prefix}. */
    private static long cpuNanos(String prefix) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                long ns = mx.getThreadCpuTime(t.getId());
                if (ns > 0) {
                    total += ns;
                }
            }
        }
        return total;
    }

    private static void printCpu(String what, long emulatorNanos, long readerNanos, String readerName, long events) {
        if (events > 0) {
            System.out.printf(Locale.ROOT, "    %s CPU per event: emulator %.2f us, %s %.2f us%n", what,
                    emulatorNanos / 1e3 / events, readerName, readerNanos / 1e3 / events);
        }
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "Feed end to end: 3 connections x %d tickers, channels %s, batch %d, "
                        + "compression %s, %s, %d s warm-up, %d s measured, %d cores%n", tickersPerConnection, channels,
                batch, compression, rate > 0 ? "offered " + rate + " events/s" : "emulator at full speed", warmup,
                seconds, Runtime.getRuntime().availableProcessors());
        Result ceiling = ceiling();
        System.out.printf(Locale.ROOT, "  ceiling (discarding reader): %,12.0f events/s  %7.1f MB/s%n",
                ceiling.eventsPerSecond, ceiling.bytesPerSecond / 1e6);
        Result pipeline = pipeline();
        System.out.printf(Locale.ROOT, "  pipeline (client+manager):   %,12.0f events/s  %7.1f MB/s%n",
                pipeline.eventsPerSecond, pipeline.bytesPerSecond / 1e6);
        System.out.printf(Locale.ROOT, "  ratio pipeline/ceiling:      %12.2f   (target >= 0.70)%n",
                pipeline.eventsPerSecond / ceiling.eventsPerSecond);
    }

    private MassiveEmulator emulator() {
        return MassiveEmulator.builder().apiKeys(KEY).eventsPerSecond(rate).batchSize(batch)
                .maxConnectionsPerKey(3).compression(compression).build().start();
    }

    private List<String> tickers(int connection) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < tickersPerConnection; i++) {
            t.add(String.format("TK%05d", connection * tickersPerConnection + i));
        }
        return t;
    }

    private static long sent(MassiveEmulator e) {
        long n = 0;
        for (EmulatorSession s : e.sessions()) {
            n += s.eventsSent();
        }
        return n;
    }

    private static long bytes(MassiveEmulator e) {
        long n = 0;
        for (EmulatorSession s : e.sessions()) {
            n += s.bytesSent();
        }
        return n;
    }

    private Result ceiling() throws InterruptedException {
        try (MassiveEmulator emu = emulator()) {
            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(
                    Math.min(3, Runtime.getRuntime().availableProcessors()),
                    new io.netty.util.concurrent.DefaultThreadFactory("null-reader", true), NioIoHandler.newFactory());
            List<NullReader> readers = new ArrayList<>();
            try {
                for (int c = 0; c < 3; c++) {
                    List<String> params = new ArrayList<>();
                    for (EventType type : channels) {
                        for (String t : tickers(c)) {
                            params.add(type.code() + "." + t);
                        }
                    }
                    readers.add(new NullReader(group, URI.create(emu.url()), KEY, params, compression));
                }
                waitForSessions(emu);
                TimeUnit.SECONDS.sleep(warmup);
                long e0 = sent(emu);
                long b0 = bytes(emu);
                long emu0 = cpuNanos("massive-emulator");
                long rd0 = cpuNanos("null-reader");
                long t0 = System.nanoTime();
                TimeUnit.SECONDS.sleep(seconds);
                long e1 = sent(emu);
                long b1 = bytes(emu);
                double secs = (System.nanoTime() - t0) / 1e9;
                printCpu("ceiling", cpuNanos("massive-emulator") - emu0, cpuNanos("null-reader") - rd0,
                        "discarding readers", e1 - e0);
                return new Result((e1 - e0) / secs, (b1 - b0) / secs);
            } finally {
                readers.forEach(NullReader::close);
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    private Result pipeline() throws InterruptedException {
        try (MassiveEmulator emu = emulator()) {
            Map<String, String> s = new HashMap<>();
            s.put("USE_MULTI_CONNECTION", "true");
            s.put("WEBSOCKET_CONNECT_TIMEOUT", "30s");
            for (int n = 1; n <= 3; n++) {
                s.put("WEBSOCKET_CONNECTION_" + n + "_ENABLED", "true");
                s.put("WEBSOCKET_CONNECTION_" + n + "_SYMBOLS", String.join(",", tickers(n - 1)));
            }
            s.put(MassiveConfig.URL, emu.url());
            s.put(MassiveConfig.API_KEY, KEY);
            s.put(MassiveConfig.COMPRESSION, Boolean.toString(compression));
            s.put(MassiveConfig.CHANNELS, String.join(",", channels.stream().map(EventType::code).toList()));
            Settings settings = Settings.of(s);
            LongAdder delivered = new LongAdder();
            FrameCapture capture = captureDir == null ? null
                    : FrameCapture.start(CaptureConfig.of(java.nio.file.Path.of(captureDir)), java.time.Clock.systemUTC());
            try (capture; MassiveFeedClientFactory factory = clientThreads > 0
                    ? new MassiveFeedClientFactory(MassiveConfig.from(settings), clientThreads)
                    : new MassiveFeedClientFactory(MassiveConfig.from(settings));
                 MultiConnectionManager manager = MultiConnectionManager.builder(GatewayConfig.from(settings))
                         .feedClients(factory).sink(e -> delivered.increment()).build()) {
                if (capture != null) {
                    factory.capture(capture);
                }
                if (!manager.connect()) {
                    throw new IllegalStateException("pipeline did not connect");
                }
                waitForSessions(emu);
                TimeUnit.SECONDS.sleep(warmup);
                long d0 = delivered.sum();
                long b0 = bytes(emu);
                long emu0 = cpuNanos("massive-emulator");
                long cl0 = cpuNanos("massive-feed");
                long cap0 = cpuNanos("tickstock-capture");
                long t0 = System.nanoTime();
                TimeUnit.SECONDS.sleep(seconds);
                long d1 = delivered.sum();
                long b1 = bytes(emu);
                double secs = (System.nanoTime() - t0) / 1e9;
                printCpu("pipeline", cpuNanos("massive-emulator") - emu0, cpuNanos("massive-feed") - cl0,
                        "client I/O threads (decode + manager + sink)", d1 - d0);
                if (capture != null) {
                    System.out.printf(Locale.ROOT, "    capture thread CPU per event: %.2f us; frames written %,d, "
                                    + "dropped %,d (queue full %,d)%n", (cpuNanos("tickstock-capture") - cap0) / 1e3 / (d1 - d0),
                            capture.framesWritten(), capture.dropped(), capture.droppedQueueFull());
                }
                emu.pauseStreaming();
                long sent = sent(emu);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (manager.getHealthStatus().totalTicksReceived() < sent && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                long received = manager.getHealthStatus().totalTicksReceived();
                System.out.printf(Locale.ROOT, "  (pipeline check after drain: %,d sent, %,d received, %,d delivered,"
                        + " %,d lost)%n", sent, received, delivered.sum(), sent - received);
                return new Result((d1 - d0) / secs, (b1 - b0) / secs);
            }
        }
    }

    private void waitForSessions(MassiveEmulator emu) throws InterruptedException {
        int want = tickersPerConnection * channels.size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<EmulatorSession> s = emu.authenticatedSessions();
            if (s.size() == 3 && s.stream().allMatch(x -> x.subscriptions().size() == want)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("subscriptions not complete after 60 s");
    }
}
