package io.tickstock.redis;

import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Tick;
import io.tickstock.core.event.Trade;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CPU per tick of the publisher's JSON encoding alone ({@link MessageBatch#add}, batches of 512), with no
 * Redis, network or other thread in the figure: the cleanest comparison of two encoders on a shared
 * machine. In this package because {@code MessageBatch} is package-private; it uses only what every
 * version of it has, so one build of this class runs against an old and a new jar alike.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.tickstock.redis.MessageBatchCpuHarness [ticks] [rounds]}.
 * Prints per round the thread's CPU ns per tick for trades, quotes, and both interleaved.
 */
public final class MessageBatchCpuHarness {
    private static final int BATCH = 512;

    private MessageBatchCpuHarness() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Tick> trades = ticks(n, false);
        List<Tick> quotes = ticks(n, true);
        List<Tick> mixed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            mixed.add(i % 2 == 0 ? trades.get(i) : quotes.get(i));
        }
        MessageBatch batch = new MessageBatch(BATCH, null);
        System.out.println("load average at start: " + loadAverage());
        for (int w = 0; w < 3; w++) { // JIT warm-up
            run(batch, mixed);
        }
        for (int r = 1; r <= rounds; r++) {
            System.out.printf(Locale.ROOT, "round %d: CPU ns per tick: trades %.0f, quotes %.0f, mixed %.0f%n",
                    r, run(batch, trades), run(batch, quotes), run(batch, mixed));
        }
        System.out.println("load average at end: " + loadAverage());
    }

    /** This thread's CPU ns per tick for encoding every tick once. */
    private static double run(MessageBatch batch, List<Tick> ticks) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long bytes = 0;
        long cpu0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < ticks.size(); i++) {
            if (i % BATCH == 0) {
                bytes += batch.count() == 0 ? 0 : batch.end(batch.count() - 1);
                batch.clear();
            }
            batch.add(ticks.get(i));
        }
        double ns = (mx.getCurrentThreadCpuTime() - cpu0) / (double) ticks.size();
        if (bytes == 42) { // keeps the output observable
            System.out.println();
        }
        return ns;
    }

    /** The publish harness's trades (100 symbols, cent prices), or quotes of a one-cent spread over them. */
    private static List<Tick> ticks(int n, boolean quotes) {
        List<Tick> out = new ArrayList<>(n);
        long t0 = 1_705_853_696_123L;
        for (int i = 0; i < n; i++) {
            String sym = i % 100 == 0 ? "AAPL" : "S" + (i % 100);
            double px = 178.23 + (i % 100) / 100.0;
            out.add(quotes
                    ? new Quote("connection_2", sym, 11, px, 300, 12, px + 0.01, 200, t0 + i, i / 100, 3, t0 + i)
                    : new Trade("connection_1", sym, 4, "t", px, 50_000, List.of(), t0 + i, i / 100, 3, t0 + i));
        }
        return out;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
