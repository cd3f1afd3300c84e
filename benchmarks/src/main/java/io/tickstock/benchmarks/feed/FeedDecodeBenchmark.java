package io.tickstock.benchmarks.feed;

import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.feed.massive.internal.MassiveFrameDecoder;
import io.tickstock.emulator.SyntheticFrames;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decoding of realistic batched Massive frames (the emulator's own output: 200 events per frame,
 * 1,000 tickers) on one thread: JSON → core events into a blackhole, by the byte-level fast path
 * ({@code path=fast}, the default decoder) and by the Jackson path alone ({@code path=jackson}) side
 * by side. The score is events/s; the {@code bytes} counter is bytes/s; with {@code -prof gc},
 * {@code gc.alloc.rate.norm} is bytes allocated per event. The manager's own per-event cost (route,
 * de-dup, dispatch) is measured by {@code ManagerEventPathBenchmark}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar FeedDecodeBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FeedDecodeBenchmark {
    static final int FRAMES = 100;
    static final int BATCH = 200;

    /** Channel mix: trades and quotes (half each), or trades + quotes + second aggregates interleaved. */
    @Param({"T,Q", "T,Q,A"})
    public String channels;

    /** {@code fast}: the decoder as shipped; {@code jackson}: its Jackson path alone (the diagnostic switch). */
    @Param({"fast", "jackson"})
    public String path;

    private List<byte[]> frames;
    private MassiveFrameDecoder decoder;
    private MassiveFrameDecoder.Sink blackholeSink;

    /** Bytes decoded, reported per second beside the events/s score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;
    }

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        FeedEndToEndHarness.quietLogs();
        frames = corpus(channels, FRAMES * 10);
        decoder = newDecoder(path);
        blackholeSink = new MassiveFrameDecoder.Sink() {
            @Override
            public void onEvent(MarketEvent event) {
                bh.consume(event);
            }

            @Override
            public void onStatus(String status, String message) {
                bh.consume(status);
            }
        };
    }

    private int set;

    /** A decoder with the fast path on ({@code fast}) or off ({@code jackson}). */
    static MassiveFrameDecoder newDecoder(String path) {
        if (!path.equals("fast") && !path.equals("jackson")) {
            throw new IllegalArgumentException("path must be fast or jackson: " + path);
        }
        String before = System.getProperty(MassiveFrameDecoder.JACKSON_ONLY_PROPERTY);
        System.setProperty(MassiveFrameDecoder.JACKSON_ONLY_PROPERTY, String.valueOf(path.equals("jackson")));
        try {
            return new MassiveFrameDecoder("connection_1");
        } finally {
            if (before == null) {
                System.clearProperty(MassiveFrameDecoder.JACKSON_ONLY_PROPERTY);
            } else {
                System.setProperty(MassiveFrameDecoder.JACKSON_ONLY_PROPERTY, before);
            }
        }
    }

    /** The benchmark's corpus: {@code frames} frames of {@value #BATCH} events over 1,000 tickers. */
    static List<byte[]> corpus(String channels, int frames) {
        List<String> tickers = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            tickers.add(String.format("TK%04d", i));
        }
        List<EventType> types = new ArrayList<>();
        for (String c : channels.split(",")) {
            types.add(EventType.fromCode(c));
        }
        return SyntheticFrames.frames(42, tickers, types, BATCH, frames);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES * BATCH)
    public void decode(Bytes counter) {
        int base = (set++ % 10) * FRAMES;
        for (int i = 0; i < FRAMES; i++) {
            byte[] f = frames.get(base + i);
            decoder.decode(f, 0, f.length, blackholeSink);
            counter.bytes += f.length;
        }
    }
}
