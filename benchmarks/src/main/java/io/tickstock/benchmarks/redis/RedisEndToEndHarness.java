package io.tickstock.benchmarks.redis;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.core.bus.IngestGate;
import io.tickstock.core.resources.TickStockResources;
import io.tickstock.feed.massive.MassiveFeedClientFactory;
import io.tickstock.emulator.MassiveEmulator;
import io.tickstock.redis.PublishedTick;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisTickPublisher;
import io.tickstock.redis.RedisTickSubscriber;
import io.tickstock.redis.testing.RedisServerProcess;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * End to end: Massive emulator → 3 WebSocket connections → manager → {@link RedisTickPublisher} →
 * redis-server → {@link RedisTickSubscriber} (its own Lettuce client, as in another process). Reports
 * events/s arriving at the subscriber and the latency from the manager's sink to the subscriber's
 * listener (one event in 16 sampled) at a series of emulator rates. On two cores an unpaced emulator
 * takes the CPU the consumer side needs, so the figure that matters is the highest paced rate carried
 * without loss.
 *
 * <p>Run: {@code scripts/bench} or {@code java -cp benchmarks/target/benchmarks.jar
 * io.tickstock.benchmarks.redis.RedisEndToEndHarness [seconds] [rates, e.g. 25000,50000,100000]
 * [tickers per connection]}.
 */
public final class RedisEndToEndHarness {
    private static final int SAMPLE_MASK = 15;

    private RedisEndToEndHarness() {
    }

    public static void main(String[] args) throws Exception {
        RedisPublishHarness.quietLogs();
        if (!RedisPublishHarness.installed("redis-server")) {
            System.out.println("SKIPPED: needs redis-server on the PATH (apt-get install -y redis-server)");
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long[] rates = Arrays.stream((args.length > 1 ? args[1] : "25000,50000,100000,150000,200000").split(","))
                .mapToLong(Long::parseLong).toArray();
        int perConnection = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        System.out.println("load average at start: " + RedisPublishHarness.loadAverage());
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                System.out.println("load average at end: " + RedisPublishHarness.loadAverage())));
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            System.out.printf(Locale.ROOT, "redis-server on port %d; 3 connections x %d tickers, channel T, "
                    + "%d s per rate after 3 s warm-up%n", redis.port(), perConnection, seconds);
            run(redis, 50_000, 5, perConnection, false); // JIT warm-up of every stage, not reported
            double best = 0;
            for (long rate : rates) {
                double carried = run(redis, rate, seconds, perConnection, true);
                best = Math.max(best, carried);
            }
            System.out.printf(Locale.ROOT, "highest rate carried without loss: %,.0f events/s%n", best);
        }
    }

    /** The subscriber's events/s when nothing was lost (publisher drops 0, subscriber ≥ 99% of feed), else 0. */
    private static double run(RedisServerProcess redis, long rate, int seconds, int perConnection, boolean report)
            throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long[] latencies = new long[4_000_000];
        AtomicInteger nLat = new AtomicInteger();
        try (MassiveEmulator emulator = MassiveEmulator.builder().apiKeys("key").eventsPerSecond(rate)
                .batchSize(100).maxConnectionsPerKey(3).build().start()) {
            Settings settings = settings(emulator.url(), redis.uri(), perConnection);
            RedisConfig redisConfig = RedisConfig.from(settings).orElseThrow();
            try (RedisTickSubscriber sub = RedisTickSubscriber.start(redisConfig, tick -> {
                     PublishedTick t = (PublishedTick) tick;
                     if ((t.sequence() & SAMPLE_MASK) == 0) {
                         Long t0 = sentAt.remove(t.symbol() + '#' + t.sequence());
                         int i;
                         if (t0 != null && (i = nLat.getAndIncrement()) < latencies.length) {
                             latencies[i] = System.nanoTime() - t0;
                         }
                     }
                 });
                 TickStockResources resources = TickStockResources.create("e2e-control");
                 RedisTickPublisher pub = RedisTickPublisher.start(redisConfig);
                 MassiveFeedClientFactory feeds = new MassiveFeedClientFactory(MassiveConfig.from(settings));
                 MultiConnectionManager manager = MultiConnectionManager.builder(GatewayConfig.from(settings))
                         .feedClients(feeds).sink((MarketEvent e) -> {
                             if ((e.sequence() & SAMPLE_MASK) == 0) {
                                 sentAt.put(e.symbol() + '#' + e.sequence(), System.nanoTime());
                             }
                             pub.accept(e);
                         }).build()) {
                // as the gateway wires it: the publisher pauses the feeds' reading instead of dropping
                IngestGate gate = new IngestGate(redisConfig.maxPause(), resources.scheduler(), resources::nanoTime);
                pub.ingestGate(gate);
                feeds.ingestGate(gate);
                while (!sub.isConnected() || !pub.isConnected()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                manager.connect();
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3)); // warm-up
                long r0 = sub.received();
                long m0 = manager.getHealthStatus().ticksDelivered();
                long d0 = pub.dropped();
                nLat.set(0);
                long t0 = System.nanoTime();
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
                double dt = (System.nanoTime() - t0) / 1e9;
                long received = sub.received() - r0;
                long delivered = manager.getHealthStatus().ticksDelivered() - m0;
                long dropped = pub.dropped() - d0;
                int n = Math.min(nLat.get(), latencies.length);
                long[] lat = Arrays.copyOf(latencies, n);
                Arrays.sort(lat);
                if (!report) {
                    return 0;
                }
                System.out.printf(Locale.ROOT, "emulator at %,d/s: subscriber %,.0f events/s (feed delivered %,.0f/s, "
                                + "publisher dropped %,d), sink->subscriber latency p50 %.2f ms, p99 %.2f ms "
                                + "(%d samples); ingest gate holds %d, expired %d, held %d ms; emulator slow-consumer "
                                + "kills %d%n", rate, received / dt, delivered / dt, dropped, pct(lat, 0.50),
                        pct(lat, 0.99), n, gate.holds(), gate.expired(), gate.heldTotal().toMillis(),
                        emulator.slowConsumerKills());
                return dropped == 0 && received >= 0.99 * delivered ? received / dt : 0;
            }
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
    }

    private static Settings settings(String feedUrl, String redisUrl, int perConnection) {
        Map<String, String> s = new HashMap<>();
        s.put("USE_MULTI_CONNECTION", "true");
        s.put(MassiveConfig.API_KEY, "key");
        s.put(MassiveConfig.URL, feedUrl);
        s.put(MassiveConfig.CHANNELS, "T");
        s.put("REDIS_URL", redisUrl);
        for (int c = 1; c <= 3; c++) {
            int from = (c - 1) * perConnection;
            s.put("WEBSOCKET_CONNECTION_" + c + "_ENABLED", "true");
            s.put("WEBSOCKET_CONNECTION_" + c + "_SYMBOLS", String.join(",", IntStream.range(from, from + perConnection)
                    .mapToObj(i -> String.format("TK%04d", i)).toList()));
        }
        return Settings.of(s);
    }
}
