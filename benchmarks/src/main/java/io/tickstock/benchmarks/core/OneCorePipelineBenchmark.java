package io.tickstock.benchmarks.core;

import io.tickstock.admin.internal.stream.TickCoalescer;
import io.tickstock.core.bus.LocalTickBus;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Tick;
import io.tickstock.core.health.HealthStatus;
import io.tickstock.emulator.SyntheticFrames;
import io.tickstock.feed.massive.internal.MassiveFrameDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The feed I/O thread's whole per-event work on one thread: decode of a T+Q corpus (200 events per
 * frame, 1,000 tickers, the emulator's own bytes, through {@link MassiveFrameDecoder}'s public
 * {@code decode} as the client calls it) → the manager (counters, carried check, de-duplication)
 * → the sinks of a gateway without Redis: the {@link LocalTickBus} (one subscriber) and the
 * dashboard's {@link TickCoalescer}, drained every 10,000 events on this thread as the stream's
 * flusher would. The score is events decoded per second.
 *
 * <p>{@code one}: the tickers on one connection (no de-duplication state). {@code redundant}: the
 * tickers on two connections ({@code WEBSOCKET_REDUNDANT_SYMBOLS}); every frame is decoded on both,
 * so every event arrives twice and half are dropped as duplicates (the score counts corpus events,
 * each decoded and routed twice). {@code decode-only}: the decoder alone, into a sink that counts.
 *
 * <p>One invocation is one pass over the corpus; before each pass its event times move on by one
 * day (a new trading session), so the de-duplicator sees fresh sequences as in a live feed instead
 * of a replay it would drop as late. Only the bus subscriber's own thread runs beside this one; it
 * only counts. Run with {@code -prof gc} for bytes per event ({@code gc.alloc.rate.norm}).
 * Target: at least 2,500,000 events/s (≤ 0.4 µs of CPU per event), at most 32 B per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class OneCorePipelineBenchmark {
    static final int TICKERS = 1_000;
    static final int BATCH = 200;
    static final int FRAMES = 500;
    static final int EVENTS = BATCH * FRAMES;
    private static final int DRAIN_EVERY_FRAMES = 50;
    private static final long DAY_MILLIS = 86_400_000L;
    private static final byte[] TIME_KEY = "\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final int TIME_DIGITS = 13;

    /**
     * {@code one}: tickers on one connection; {@code redundant}: on two, every event arriving twice;
     * {@code decode-only}: the decoder into a sink that only counts, the baseline that shows what the
     * rest of the path costs.
     */
    @Param({"one", "redundant", "decode-only"})
    public String placement;

    private List<byte[]> frames;
    /** Per frame: where each event time's digits start, and the time as generated. */
    private int[][] timeAt;
    private long[][] timeOf;
    private long pass;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private long iterationCpuNanos;
    private long iterationPasses;
    private MultiConnectionManager manager;
    private LocalTickBus bus;
    private TickCoalescer coalescer;
    private final List<Tick> drained = new ArrayList<>();
    private boolean decodeOnly;
    private MassiveFrameDecoder[] decoders;
    private MassiveFrameDecoder.Sink[] sinks;

    @Setup(Level.Trial)
    public void setUp() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN); // the manager's start-up lines, once per fork
        }
        List<String> tickers = new ArrayList<>();
        for (int i = 0; i < TICKERS; i++) {
            tickers.add(BenchTickers.ticker(i));
        }
        frames = SyntheticFrames.frames(42, tickers, List.of(EventType.T, EventType.Q), BATCH, FRAMES);
        indexTimes();
        boolean redundant = placement.equals("redundant");
        decodeOnly = placement.equals("decode-only");
        Map<String, String> settings = new HashMap<>(Map.of(
                "USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_2_ENABLED", "true"));
        settings.put(redundant ? "WEBSOCKET_REDUNDANT_SYMBOLS" : "WEBSOCKET_CONNECTION_1_SYMBOLS",
                String.join(",", tickers));
        Map<String, NullFeedClient> clients = new HashMap<>();
        bus = new LocalTickBus();
        LongAdder received = new LongAdder();
        bus.subscribe("bench", e -> received.increment());
        coalescer = new TickCoalescer(TICKERS * 2);
        manager = MultiConnectionManager.builder(GatewayConfig.from(Settings.of(settings)))
                .feedClients((slot, listener) -> {
                    NullFeedClient c = new NullFeedClient(slot, listener);
                    clients.put(slot.id(), c);
                    return c;
                })
                .sink(bus)
                .build();
        manager.addSink(coalescer); // as the dashboard registers it: the manager keeps its slot per ticker
        manager.connect();
        List<String> ids = redundant ? List.of("connection_1", "connection_2") : List.of("connection_1");
        decoders = new MassiveFrameDecoder[ids.size()];
        sinks = new MassiveFrameDecoder.Sink[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            decoders[i] = new MassiveFrameDecoder(ids.get(i));
            if (!decodeOnly) { // as MassiveFeedClient does: decode to the instances the manager subscribed
                decoders[i].seedSymbols(clients.get(ids.get(i)).subscriptions());
            }
            sinks[i] = new ListenerSink(decodeOnly ? new CountingListener() : clients.get(ids.get(i)).listener());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        bus.close();
    }

    /** Moves every event time of the corpus on by one day: the next pass is a new trading session. */
    @Setup(Level.Invocation)
    public void nextSession() {
        long cpuAtStart = THREADS.getCurrentThreadCpuTime();
        pass++;
        for (int f = 0; f < frames.size(); f++) {
            byte[] frame = frames.get(f);
            int[] at = timeAt[f];
            long[] of = timeOf[f];
            for (int i = 0; i < at.length; i++) {
                long t = of[i] + pass * DAY_MILLIS;
                for (int d = TIME_DIGITS - 1; d >= 0; d--) {
                    frame[at[i] + d] = (byte) ('0' + t % 10);
                    t /= 10;
                }
            }
        }
        iterationCpuNanos += THREADS.getCurrentThreadCpuTime() - cpuAtStart; // not the pipeline's work
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void oneCorpusPass() {
        for (int f = 0; f < FRAMES; f++) {
            byte[] frame = frames.get(f);
            for (int c = 0; c < decoders.length; c++) {
                decoders[c].decode(frame, 0, frame.length, sinks[c]);
            }
            if (f % DRAIN_EVERY_FRAMES == DRAIN_EVERY_FRAMES - 1) {
                coalescer.drainChanged(drained);
                drained.clear();
            }
        }
    }

    @Setup(Level.Iteration)
    public void startCpuClock() {
        iterationCpuNanos = THREADS.getCurrentThreadCpuTime();
        iterationPasses = pass;
    }

    /**
     * Prints this thread's CPU time per corpus event in the iteration (what a loaded machine moves
     * far less than the rate), and fails the run unless every event was decoded and delivered
     * exactly once (no late drops).
     */
    @TearDown(Level.Iteration)
    public void checkCounts() {
        long events = (pass - iterationPasses) * (long) EVENTS;
        if (events > 0) {
            double nanos = THREADS.getCurrentThreadCpuTime() - iterationCpuNanos;
            System.out.printf("%n[%s] CPU of the benchmark thread: %.3f µs per corpus event (%d events)%n",
                    placement, nanos / 1e3 / events, events);
        }
        long decoded = 0;
        for (MassiveFrameDecoder d : decoders) {
            decoded += d.events();
        }
        HealthStatus h = manager.getHealthStatus();
        long unique = (long) EVENTS * pass;
        if (decodeOnly) {
            if (decoded != unique) {
                throw new IllegalStateException("decoded " + decoded + "; expected " + unique);
            }
            return;
        }
        if (decoded != unique * decoders.length || h.ticksDelivered() != unique
                || h.duplicatesDropped() != unique * (decoders.length - 1)) {
            throw new IllegalStateException("decoded " + decoded + ", delivered " + h.ticksDelivered()
                    + ", duplicates " + h.duplicatesDropped() + "; expected " + unique + " unique events");
        }
    }

    private void indexTimes() {
        timeAt = new int[frames.size()][];
        timeOf = new long[frames.size()][];
        for (int f = 0; f < frames.size(); f++) {
            byte[] frame = frames.get(f);
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i + TIME_KEY.length + TIME_DIGITS <= frame.length; i++) {
                if (matches(frame, i)) {
                    at.add(i + TIME_KEY.length);
                }
            }
            if (at.size() != BATCH) {
                throw new IllegalStateException("expected " + BATCH + " event times in a frame, found " + at.size());
            }
            timeAt[f] = at.stream().mapToInt(Integer::intValue).toArray();
            timeOf[f] = new long[at.size()];
            for (int i = 0; i < at.size(); i++) {
                int start = timeAt[f][i];
                long t = 0;
                for (int d = 0; d < TIME_DIGITS; d++) {
                    byte b = frame[start + d];
                    if (b < '0' || b > '9') {
                        throw new IllegalStateException("event time is not " + TIME_DIGITS + " digits");
                    }
                    t = t * 10 + (b - '0');
                }
                if (start + TIME_DIGITS < frame.length && Character.isDigit(frame[start + TIME_DIGITS])) {
                    throw new IllegalStateException("event time is longer than " + TIME_DIGITS + " digits");
                }
                timeOf[f][i] = t;
            }
        }
    }

    private static boolean matches(byte[] frame, int i) {
        for (int k = 0; k < TIME_KEY.length; k++) {
            if (frame[i + k] != TIME_KEY[k]) {
                return false;
            }
        }
        return true;
    }

    /** The decode-only baseline's end of the line. */
    private static final class CountingListener implements FeedListener {
        long events;

        @Override
        public void onEvent(MarketEvent event) {
            events++;
        }

        @Override
        public void onStatus(io.tickstock.core.connection.ConnectionStatus status, String message) {
        }

        @Override
        public void onError(String message) {
        }
    }

    /** The client's hand-over from the decoder to the manager, without the client around it. */
    private static final class ListenerSink implements MassiveFrameDecoder.Sink {
        private final FeedListener listener;

        ListenerSink(FeedListener listener) {
            this.listener = listener;
        }

        @Override
        public void onEvent(MarketEvent event) {
            listener.onEvent(event);
        }

        @Override
        public void onStatus(String status, String message) {
            // none in a corpus of market events
        }
    }
}
