package io.tickstock.benchmarks.feed;

import io.tickstock.core.event.MarketEvent;
import io.tickstock.feed.massive.internal.MassiveFrameDecoder;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Decode cost per event in CPU time of the decoding thread, which stays meaningful on a machine
 * shared with other work (JMH's wall-clock score does not), and bytes allocated per event: the
 * byte-level fast path and the Jackson path alone side by side, in alternating rounds over the same
 * frames as {@link FeedDecodeBenchmark} (200 events per frame, 1,000 tickers). Prints medians and
 * the ratio.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tickstock.benchmarks.feed.FeedDecodeCpuHarness [seconds per round] [rounds]</pre>
 */
public final class FeedDecodeCpuHarness {
    private static final List<String> PATHS = List.of("fast", "jackson");
    private static long sink;

    private FeedDecodeCpuHarness() {
    }

    /** One round's result. */
    private record Round(double cpuMicrosPerEvent, double eventsPerCpuSecond, double bytesAllocatedPerEvent,
                         double mbPerCpuSecond) {
    }

    public static void main(String[] args) {
        FeedEndToEndHarness.quietLogs();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf(Locale.ROOT, "Feed decode on one thread (200 events per frame, 1,000 tickers), %d rounds of %d s"
                + " per path, alternating; medians; load average %s%n", rounds, seconds, loadAverage());
        for (String mix : List.of("T,Q", "T", "Q", "A", "T,Q,A")) {
            List<byte[]> frames = FeedDecodeBenchmark.corpus(mix, 1_000);
            Round[][] results = new Round[PATHS.size()][rounds];
            for (String path : PATHS) {
                run(path, frames, 1); // warm-up
            }
            for (int r = 0; r < rounds; r++) {
                for (int p = 0; p < PATHS.size(); p++) {
                    results[p][r] = run(PATHS.get(p), frames, seconds);
                }
            }
            Round fast = median(results[0]);
            Round jackson = median(results[1]);
            for (int p = 0; p < PATHS.size(); p++) {
                Round m = p == 0 ? fast : jackson;
                System.out.printf(Locale.ROOT, "  %-6s %-8s %6.3f CPU-µs/event  %,11.0f events per CPU-s  %6.1f MB per CPU-s"
                        + "  %6.1f B allocated/event%n", mix, PATHS.get(p), m.cpuMicrosPerEvent(), m.eventsPerCpuSecond(),
                        m.mbPerCpuSecond(), m.bytesAllocatedPerEvent());
            }
            System.out.printf(Locale.ROOT, "  %-6s fast/jackson: %.2f× events per CPU-s%n", mix,
                    fast.eventsPerCpuSecond() / jackson.eventsPerCpuSecond());
        }
    }

    private static Round median(Round[] rounds) {
        Round[] sorted = rounds.clone();
        java.util.Arrays.sort(sorted, java.util.Comparator.comparingDouble(Round::cpuMicrosPerEvent));
        return sorted[sorted.length / 2];
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Round run(String path, List<byte[]> frames, int seconds) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        MassiveFrameDecoder decoder = FeedDecodeBenchmark.newDecoder(path);
        MassiveFrameDecoder.Sink s = new MassiveFrameDecoder.Sink() {
            @Override
            public void onEvent(MarketEvent event) {
                sink += event.sequence();
            }

            @Override
            public void onStatus(String status, String message) {
            }
        };
        // one pass first so that the decoder's caches are warm: the steady state is measured
        for (byte[] f : frames) {
            decoder.decode(f, 0, f.length, s);
        }
        long events0 = decoder.events();
        long bytes0 = decoder.bytes();
        long alloc0 = mx.getThreadAllocatedBytes(thread);
        long cpu0 = mx.getCurrentThreadCpuTime();
        long wallEnd = System.nanoTime() + seconds * 1_000_000_000L;
        int i = 0;
        while (System.nanoTime() < wallEnd) {
            for (int k = 0; k < 10; k++) {
                byte[] f = frames.get(i++ % frames.size());
                decoder.decode(f, 0, f.length, s);
            }
        }
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        long alloc = mx.getThreadAllocatedBytes(thread) - alloc0;
        long events = decoder.events() - events0;
        return new Round(cpu * 1e6 / events, events / cpu, (double) alloc / events,
                (decoder.bytes() - bytes0) / cpu / 1e6);
    }
}
