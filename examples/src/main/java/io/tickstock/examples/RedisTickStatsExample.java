package io.tickstock.examples;

import io.tickstock.core.config.Settings;
import io.tickstock.core.event.Tick;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisTickSubscriber;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A consumer of the Redis channel {@code tickstock:market:ticks} (in any process, on any host) that
 * prints, every second, per symbol: ticks in that second, last / low / high price and volume; and the
 * totals when it stops. {@code REDIS_URL} defaults to {@code redis://127.0.0.1:6379}. Run (while a
 * gateway publishes, e.g. {@code RedundantRedisExample} or {@code scripts/run} with {@code REDIS_URL}):
 * {@code java -cp examples/target/tickstock-examples-all.jar io.tickstock.examples.RedisTickStatsExample --seconds 10}
 */
public final class RedisTickStatsExample {
    private static final DateTimeFormatter HH_MM_SS = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** Figures of one symbol over one period. */
    static final class Stats {
        long ticks;
        long volume;
        double last;
        double low = Double.MAX_VALUE;
        double high = -Double.MAX_VALUE;

        void add(Tick t) {
            ticks++;
            volume += t.volume();
            last = t.price();
            low = Math.min(low, t.price());
            high = Math.max(high, t.price());
        }
    }

    static final String USAGE = CommandLine.usage(RedisTickStatsExample.class, StopAfter.SYNOPSIS);

    public static void main(String[] args) throws Exception {
        CommandLine.exit(USAGE, () -> {
            StopAfter.parse(args); // a bad command line fails before the configuration is read
            run(Settings.load(), args, System.out);
        });
    }

    static void run(Settings userSettings, String[] args, PrintStream out) throws Exception {
        StopAfter stop = StopAfter.parse(args);
        Settings settings = userSettings.get(RedisConfig.URL_KEY).isPresent() ? userSettings
                : userSettings.with(Map.of(RedisConfig.URL_KEY, "redis://127.0.0.1:6379"));
        RedisConfig config = RedisConfig.from(settings).orElseThrow();
        Object lock = new Object(); // the listener runs on a Lettuce thread, the printer on its own
        Map<String, Stats> second = new TreeMap<>();
        Map<String, Stats> total = new TreeMap<>();
        ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor();
        try (RedisTickSubscriber subscriber = RedisTickSubscriber.start(config, tick -> stop.tick(() -> {
            synchronized (lock) { // short, never blocks on I/O: the listener must stay quick
                second.computeIfAbsent(tick.symbol(), s -> new Stats()).add(tick);
                total.computeIfAbsent(tick.symbol(), s -> new Stats()).add(tick);
            }
        }))) {
            printer.scheduleAtFixedRate(() -> print(out, lock, second, true), 1, 1, TimeUnit.SECONDS);
            while (!subscriber.isConnected()) { // connects in the background; it retries by itself
                Thread.sleep(10);
            }
            out.println("Listening on " + config.redactedUrl() + " channel " + config.tickChannel()
                    + "; stopping " + stop);
            stop.await();
        } finally {
            printer.shutdownNow();
            printer.awaitTermination(5, TimeUnit.SECONDS);
        }
        print(out, lock, second, true); // the last partial second
        out.println("Totals:");
        print(out, lock, total, false);
    }

    private static void print(PrintStream out, Object lock, Map<String, Stats> stats, boolean reset) {
        synchronized (lock) {
            if (reset && stats.isEmpty()) {
                return;
            }
            String time = reset ? LocalTime.now().format(HH_MM_SS) : "total   ";
            stats.forEach((symbol, s) -> out.printf("%s %-6s %6d ticks  last %10.4f  low %10.4f  high %10.4f  volume %d%n",
                    time, symbol, s.ticks, s.last, s.low, s.high, s.volume));
            if (reset) {
                stats.clear();
            }
        }
    }
}
