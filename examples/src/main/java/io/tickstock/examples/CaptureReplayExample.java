package io.tickstock.examples;

import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.feed.massive.MassiveFeedClient;
import io.tickstock.feed.massive.MassiveFeedClientFactory;
import io.tickstock.feed.massive.capture.CaptureConfig;
import io.tickstock.core.capture.CaptureFiles;
import io.tickstock.feed.massive.capture.FrameCapture;
import io.tickstock.emulator.MassiveEmulator;
import io.tickstock.emulator.ReplayOptions;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records ten seconds of the demo feed (the Massive emulator) into a capture directory, then serves
 * that capture again with the emulator's replay source at 10x and shows that a client receives the
 * same events per ticker, ten times faster. Run:
 * {@code java -cp examples/target/tickstock-examples-all.jar io.tickstock.examples.CaptureReplayExample [dir] [--seconds 10]}
 * (default directory: a new temporary one).
 */
public final class CaptureReplayExample {
    private static final List<String> TICKERS = List.of("AAPL", "MSFT", "NVDA", "JPM", "KO");
    private static final String KEY = "example-key";

    /** Counts events per ticker; one instance per client. */
    static final class Counter implements FeedListener {
        final Map<String, LongAdder> perTicker = new ConcurrentHashMap<>();
        final LongAdder total = new LongAdder();

        @Override
        public void onEvent(MarketEvent event) {
            perTicker.computeIfAbsent(event.symbol(), s -> new LongAdder()).increment();
            total.increment();
        }

        @Override
        public void onStatus(ConnectionStatus status, String message) {
        }

        @Override
        public void onError(String message) {
        }

        Map<String, Long> sorted() {
            Map<String, Long> m = new TreeMap<>();
            perTicker.forEach((k, v) -> m.put(k, v.sum()));
            return m;
        }
    }

    static final String USAGE = CommandLine.usage(CaptureReplayExample.class, "[dir] [--seconds T] [--help]");

    public static void main(String[] args) throws Exception {
        CommandLine.exit(USAGE, () -> {
            Arguments a = Arguments.parse(args); // a bad command line fails before anything starts
            Path dir = a.dir() != null ? a.dir() : Files.createTempDirectory("tickstock-capture");
            run(dir, a.recordFor(), System.out);
        });
    }

    /** An optional capture directory first, then only {@code --seconds T} (a positive number). */
    record Arguments(Path dir, Duration recordFor) {
        static Arguments parse(String[] args) {
            Path dir = null;
            Duration recordFor = Duration.ofSeconds(10);
            int i = 0;
            if (args.length > 0 && !args[0].startsWith("-")) {
                dir = Path.of(args[0]);
                i = 1;
            }
            for (; i < args.length; i++) {
                CommandLine.checkHelp(args[i]);
                if (!args[i].equals("--seconds")) {
                    throw new CommandLine.UsageException("Unknown argument: " + args[i]);
                }
                if (i + 1 >= args.length) {
                    throw new CommandLine.UsageException("--seconds needs a value");
                }
                recordFor = StopAfter.parse(new String[] {"--seconds", args[++i]}).maxTime();
            }
            return new Arguments(dir, recordFor);
        }
    }

    static Map<String, Long> run(Path dir, Duration recordFor, PrintStream out) throws Exception {
        // 1. record: a client reading the demo feed, every frame it receives journaled to dir
        Counter live = new Counter();
        long t0;
        try (MassiveEmulator demo = MassiveEmulator.builder().apiKeys(KEY).eventsPerSecond(500).build().start();
             FrameCapture capture = FrameCapture.start(CaptureConfig.of(dir), Clock.systemUTC());
             MassiveFeedClientFactory clients = client(demo.url()).capture(capture)) {
            out.println("Recording " + recordFor.toMillis() / 1000.0 + " s of the demo feed (synthetic prices) into " + dir);
            connect(clients, live);
            Thread.sleep(recordFor.toMillis());
            demo.pauseStreaming(); // nothing after this: the capture holds every event the client got
            long sent = demo.eventsSent();
            t0 = System.nanoTime();
            while (live.total.sum() < sent && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
                Thread.sleep(10);
            }
        }
        out.println("Recorded " + live.total.sum() + " events in " + CaptureFiles.list(dir).size() + " file(s): "
                + CaptureFiles.list(dir).stream().map(n -> n.path().getFileName().toString()).toList());

        // 2. replay at 10x to a fresh client
        Counter replayed = new Counter();
        try (MassiveEmulator replay = MassiveEmulator.builder().apiKeys(KEY)
                .replay(ReplayOptions.of(dir).speed(10)).build().start();
             MassiveFeedClientFactory clients = client(replay.url())) {
            connect(clients, replayed);
            var source = replay.replay().orElseThrow();
            while (!source.started()) {
                Thread.sleep(10);
            }
            t0 = System.nanoTime();
            while (!source.finished() || replayed.total.sum() < live.total.sum()) {
                Thread.sleep(10);
                if (System.nanoTime() - t0 > recordFor.toNanos() + TimeUnit.SECONDS.toNanos(30)) {
                    break;
                }
            }
            out.printf("Replayed %d events at 10x in %.1f s%n", replayed.total.sum(), (System.nanoTime() - t0) / 1e9);
        }
        out.printf("%-6s %8s %8s%n", "ticker", "live", "replay");
        Map<String, Long> a = live.sorted();
        Map<String, Long> b = replayed.sorted();
        a.forEach((t, n) -> out.printf("%-6s %8d %8d%n", t, n, b.getOrDefault(t, 0L)));
        out.println(a.equals(b) ? "Same events per ticker." : "DIFFERENT counts");
        return b;
    }

    private static MassiveFeedClientFactory client(String url) {
        return new MassiveFeedClientFactory(MassiveConfig.defaults(url, KEY).withChannels(List.of(EventType.T, EventType.Q)));
    }

    private static void connect(MassiveFeedClientFactory clients, Counter listener) throws Exception {
        MassiveFeedClient c = clients.create("connection_1", listener);
        c.subscribe(TICKERS);
        c.connect().get(30, TimeUnit.SECONDS);
    }
}
