package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.event.EventType;
import io.tickstock.core.health.HealthStatus;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.feed.massive.MassiveFeedClientFactory;
import io.tickstock.emulator.FaultSwitches;
import io.tickstock.emulator.MassiveEmulator;
import io.tickstock.redis.testing.RedisServerExtension;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway over several compressed trading days: emulator → 3 Massive connections → manager →
 * Redis publisher → Redis → a subscriber. Every session has a reconnect, a redundant ticker is
 * carried twice, and a flood of never-subscribed symbols comes between the days. Per ticker, what
 * reaches Redis is exactly what the emulator sent; only true duplicates are dropped; heap stays flat.
 */
class TradingDaysSoakIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String REDUNDANT = "TK0007";
    private static final int FLOOD = 100_000;
    private static final List<EventType> CHANNELS = List.of(EventType.T, EventType.Q, EventType.A);
    /** One trading day (pre-market, regular session, after hours) in this much real time. */
    private static final Duration DAY = Duration.ofSeconds(3);

    private static List<String> tickers(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> String.format("TK%04d", i)).toList();
    }

    @Test
    void twoTradingDaysWithReconnectsAndAFloodDeliverEverySentEventOnce() {
        Map<String, LongAdder> inRedis = new ConcurrentHashMap<>();
        LongAdder wrongSource = new LongAdder();
        Map<String, String> s = new HashMap<>();
        s.put("USE_MULTI_CONNECTION", "true");
        for (int n = 1; n <= 3; n++) {
            s.put("WEBSOCKET_CONNECTION_" + n + "_ENABLED", "true");
            s.put("WEBSOCKET_CONNECTION_" + n + "_SYMBOLS", String.join(",", tickers((n - 1) * 20, 20)));
        }
        s.put("WEBSOCKET_REDUNDANT_SYMBOLS", REDUNDANT);
        s.put("WEBSOCKET_FAILOVER_DELAY", "60s"); // a reconnect, not a failover
        s.put(MassiveConfig.API_KEY, "key");
        s.put(MassiveConfig.CHANNELS, "T,Q,A");
        s.put(MassiveConfig.RECONNECT_DELAY, "100ms");
        s.put(MassiveConfig.RECONNECT_MAX_DELAY, "500ms");
        s.put("REDIS_URL", REDIS.uri());
        try (MassiveEmulator emulator = MassiveEmulator.builder().apiKeys("key").eventsPerSecond(6_000)
                .batchSize(100).maxConnectionsPerKey(3).compressedDay(DAY).build().start()) {
            s.put(MassiveConfig.URL, emulator.url());
            Settings settings = Settings.of(s);
            RedisConfig redis = RedisConfig.from(settings).orElseThrow();
            try (RedisTickSubscriber subscriber = RedisTickSubscriber.start(redis, tick -> {
                     PublishedTick t = (PublishedTick) tick;
                     if (!t.connectionId().startsWith("connection_")) {
                         wrongSource.increment();
                     }
                     inRedis.computeIfAbsent(t.symbol() + " " + t.eventType(), k -> new LongAdder()).increment();
                 });
                 RedisTickPublisher publisher = RedisTickPublisher.start(redis);
                 MassiveFeedClientFactory feeds = new MassiveFeedClientFactory(MassiveConfig.from(settings));
                 MultiConnectionManager manager = MultiConnectionManager.builder(GatewayConfig.from(settings))
                         .feedClients(feeds).sink(publisher).build()) {
                manager.addHealthContributor(publisher);
                await().atMost(PATIENCE).until(() -> subscriber.isConnected() && publisher.isConnected());
                assertThat(manager.connect()).isTrue();
                List<String> carriers = manager.getTickerConnections(REDUNDANT);
                assertThat(carriers).hasSize(2);
                LocalDate firstDay = emulator.tradingDate();

                // day 1: data, then the redundant ticker's first carrier closes and comes back
                await().atMost(PATIENCE).until(() -> subscriber.received() > 5_000);
                reconnect(emulator, manager, carriers.get(0));
                await().atMost(PATIENCE).until(() -> subscriber.received() > 10_000);
                long heapBefore = usedHeapAfterGc();

                // between the days: every connection is flooded with symbols it never subscribed
                assertThat(emulator.faults().floodUnknownSymbols(FaultSwitches.all(), FLOOD)).isEqualTo(3);

                // day 2: q restarts for every ticker; the other carrier closes and comes back
                await().atMost(PATIENCE).until(() -> emulator.tradingDate().isAfter(firstDay));
                LocalDate secondDay = emulator.tradingDate();
                long atDayTwo = subscriber.received();
                await().atMost(PATIENCE).until(() -> subscriber.received() > atDayTwo + 5_000);
                reconnect(emulator, manager, carriers.get(1));
                // and on into a third session
                await().atMost(PATIENCE).until(() -> emulator.tradingDate().isAfter(secondDay));
                await().atMost(PATIENCE).until(() -> subscriber.received() > atDayTwo + 10_000);

                emulator.pauseStreaming();
                await().atMost(PATIENCE).until(() -> manager.getHealthStatus().totalTicksReceived()
                        == emulator.eventsSent() + emulator.floodEventsSent());
                await().atMost(PATIENCE).until(() -> publisher.published() == publisher.offered()
                        && subscriber.received() == publisher.published());
                long heapAfter = usedHeapAfterGc();

                // per ticker and type: in Redis exactly what the emulator sent to at least one connection
                Map<String, Long> expected = new HashMap<>();
                for (String t : tickers(0, 60)) {
                    for (EventType type : CHANNELS) {
                        long sent = emulator.distinctEventsSent(t, type);
                        if (sent > 0) {
                            expected.put(t + " " + type, sent);
                        }
                    }
                }
                Map<String, Long> actual = new HashMap<>();
                inRedis.forEach((k, v) -> actual.put(k, v.sum()));
                assertThat(actual).isEqualTo(expected);
                assertThat(expected.keySet()).anyMatch(k -> k.startsWith(REDUNDANT + " T"));
                assertThat(wrongSource.sum()).isZero();

                HealthStatus h = manager.getHealthStatus();
                long delivered = expected.values().stream().mapToLong(Long::longValue).sum();
                assertThat(h.ticksDelivered()).isEqualTo(delivered);
                assertThat(publisher.dropped()).isZero();
                // only true duplicates are dropped: the redundant ticker's second copies
                long redundantCopies = CHANNELS.stream().mapToLong(ty -> copies(emulator, carriers, ty)).sum();
                long redundantDistinct = CHANNELS.stream().mapToLong(ty -> emulator.distinctEventsSent(REDUNDANT, ty)).sum();
                // (an A bar's sequence is its second of market time, which runs ~19,000 times faster here,
                // so a copy from the lagging connection can fall behind the 1,024-wide window: late, still a copy)
                assertThat(h.sequence().duplicatesDropped() + h.sequence().lateEventsDropped())
                        .isEqualTo(redundantCopies - redundantDistinct);
                assertThat(h.sequence().lateEventsDropped()).isLessThanOrEqualTo(
                        redundantCopies - redundantDistinct - CHANNELS.stream().filter(ty -> ty != EventType.A)
                                .mapToLong(ty -> copies(emulator, carriers, ty) - emulator.distinctEventsSent(REDUNDANT, ty))
                                .sum());
                // T, Q and A of the redundant ticker, at each of at least two new sessions
                assertThat(h.sequence().sequenceRestarts()).isGreaterThanOrEqualTo(2 * 3);
                assertThat(emulator.tradingDaysSeen()).isGreaterThanOrEqualTo(3);
                assertThat(h.unsubscribedEventsDropped()).isEqualTo(emulator.floodEventsSent()).isEqualTo(3L * FLOOD);
                assertThat(h.symbolState().tracked()).isEqualTo(1);
                assertThat(h.symbolState().overflow()).isZero();
                long growth = heapAfter - heapBefore;
                System.out.printf("soak: %d events delivered, %d duplicates dropped, %d flood events dropped, "
                        + "%d late copies dropped, heap growth %d KB%n", delivered, h.duplicatesDropped(), h.unsubscribedEventsDropped(),
                        h.sequence().lateEventsDropped(),
                        growth / 1024);
                assertThat(growth).as("heap growth %d bytes", growth).isLessThan(16L << 20);
            }
        }
    }

    /** Events of the redundant ticker of one type written to its carriers, every session counted. */
    private static long copies(MassiveEmulator emulator, List<String> carriers, EventType type) {
        long n = 0;
        for (var session : emulator.allSessions()) {
            if (carriers.stream().anyMatch(id -> session.userAgent().contains(id))) {
                n += session.eventsSent(REDUNDANT, type);
            }
        }
        return n;
    }

    /** The emulator closes the connection cleanly (everything written before arrives); the client reconnects. */
    private static void reconnect(MassiveEmulator emulator, MultiConnectionManager manager, String id) {
        long sessions = emulator.sessionsOpened();
        assertThat(emulator.faults().closeCleanly(FaultSwitches.userAgentContains(id), 1001, "going away"))
                .isEqualTo(1);
        await().atMost(PATIENCE).until(() -> emulator.sessionsOpened() == sessions + 1
                && manager.getConnection(id).orElseThrow().status() == ConnectionStatus.CONNECTED
                && emulator.sessionFor(id) != null
                && emulator.sessionFor(id).subscribedTickers().equals(manager.getConnectionTickers(id)));
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
