package io.tickstock.benchmarks.feed;

import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.feed.massive.internal.MassiveFrameDecoder;
import io.tickstock.emulator.SyntheticFrames;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decode speed per CPU second of the decoding thread, which stays meaningful on a machine shared
 * with other work (JMH's wall-clock score does not). Same frames as {@link FeedDecodeBenchmark}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tickstock.benchmarks.feed.FeedDecodeCpuHarness [seconds]</pre>
 */
public final class FeedDecodeCpuHarness {
    private FeedDecodeCpuHarness() {
    }

    public static void main(String[] args) {
        FeedEndToEndHarness.quietLogs();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> tickers = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            tickers.add(String.format("TK%04d", i));
        }
        System.out.println("Feed decode per CPU second of one thread (100 events per frame, 1,000 tickers):");
        for (String mix : List.of("T", "Q", "A", "T,Q,A")) {
            List<EventType> types = new ArrayList<>();
            for (String c : mix.split(",")) {
                types.add(EventType.fromCode(c));
            }
            List<byte[]> frames = SyntheticFrames.frames(42, tickers, types, 100, 1_000);
            run(mix, frames, 1); // warm-up
            run(mix, frames, seconds);
        }
    }

    private static long sink;

    private static void run(String mix, List<byte[]> frames, int seconds) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        MassiveFrameDecoder decoder = new MassiveFrameDecoder("connection_1");
        MassiveFrameDecoder.Sink s = new MassiveFrameDecoder.Sink() {
            @Override
            public void onEvent(MarketEvent event) {
                sink += event.sequence();
            }

            @Override
            public void onStatus(String status, String message) {
            }
        };
        long bytes = 0;
        long cpu0 = mx.getCurrentThreadCpuTime();
        long wallEnd = System.nanoTime() + seconds * 1_000_000_000L;
        int i = 0;
        while (System.nanoTime() < wallEnd) {
            byte[] f = frames.get(i++ % frames.size());
            decoder.decode(f, 0, f.length, s);
            bytes += f.length;
        }
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        if (seconds > 1) {
            System.out.printf(Locale.ROOT, "  %-6s %,12.0f events per CPU-s  %7.1f MB per CPU-s  (%d B/event)%n", mix,
                    decoder.events() / cpu, bytes / cpu / 1e6, bytes / Math.max(1, decoder.events()));
        }
    }
}
