package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.event.EventType;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.feed.massive.MassiveFeedClientFactory;
import io.tickstock.emulator.EmulatorSession;
import io.tickstock.emulator.MassiveEmulator;
import io.tickstock.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Massive emulator → 3 feed connections → manager → Redis publisher → Redis → subscriber in another client. */
class EmulatorToRedisIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final List<String> IDS = List.of("connection_1", "connection_2", "connection_3");

    private static long sent(MassiveEmulator emulator) {
        return IDS.stream().mapToLong(id -> emulator.sessionFor(id).eventsSent()).sum();
    }

    @Test
    void everyEventSentArrivesAtTheSubscriberExactlyOnce() {
        Map<String, AtomicLong> seen = new ConcurrentHashMap<>(); // "SYMBOL#sequence" → times received
        AtomicLong wrong = new AtomicLong();
        Map<String, String> s = new HashMap<>();
        s.put("USE_MULTI_CONNECTION", "true");
        s.put(MassiveConfig.API_KEY, "key");
        s.put(MassiveConfig.CHANNELS, "T");
        s.put(MassiveConfig.RECONNECT_DELAY, "200ms");
        for (int n = 1; n <= 3; n++) {
            int from = (n - 1) * 100;
            s.put("WEBSOCKET_CONNECTION_" + n + "_ENABLED", "true");
            s.put("WEBSOCKET_CONNECTION_" + n + "_SYMBOLS", String.join(",",
                    IntStream.range(from, from + 100).mapToObj(i -> String.format("TK%04d", i)).toList()));
        }
        s.put("REDIS_URL", REDIS.uri());
        try (MassiveEmulator emulator = MassiveEmulator.builder().apiKeys("key").eventsPerSecond(20_000)
                .batchSize(100).maxConnectionsPerKey(3).build().start()) {
            s.put(MassiveConfig.URL, emulator.url());
            Settings settings = Settings.of(s);
            RedisConfig redis = RedisConfig.from(settings).orElseThrow();
            try (RedisTickSubscriber subscriber = RedisTickSubscriber.start(redis, tick -> {
                     PublishedTick t = (PublishedTick) tick;
                     if (t.eventType() != EventType.T || t.sequence() < 0) {
                         wrong.incrementAndGet();
                     }
                     seen.computeIfAbsent(t.symbol() + "#" + t.sequence(), k -> new AtomicLong()).incrementAndGet();
                 });
                 RedisTickPublisher publisher = RedisTickPublisher.start(redis);
                 MassiveFeedClientFactory feeds = new MassiveFeedClientFactory(MassiveConfig.from(settings));
                 MultiConnectionManager manager = MultiConnectionManager.builder(GatewayConfig.from(settings))
                         .feedClients(feeds).sink(publisher).build()) {
                manager.addHealthContributor(publisher);
                await().atMost(PATIENCE).until(() -> subscriber.isConnected() && publisher.isConnected());
                assertThat(manager.connect()).isTrue();
                await().atMost(PATIENCE).until(() -> subscriber.received() > 20_000);

                emulator.pauseStreaming();
                // the feed has everything the emulator wrote before the pause took effect
                await().atMost(PATIENCE).until(() -> manager.getHealthStatus().totalTicksReceived() == sent(emulator));
                long sent = sent(emulator);
                await().atMost(PATIENCE).until(() -> subscriber.received() >= sent);
                // nothing more is on its way: the publisher settled everything it was offered
                await().atMost(PATIENCE).until(() -> publisher.published() == publisher.offered());

                assertThat(publisher.offered()).isEqualTo(sent);
                assertThat(publisher.dropped()).isZero();
                assertThat(subscriber.received()).isEqualTo(sent);
                assertThat(subscriber.malformed()).isZero();
                assertThat(wrong.get()).isZero();
                assertThat(seen).hasSize((int) sent).allSatisfy((k, n) -> assertThat(n.get()).as(k).isEqualTo(1));
                for (String id : IDS) {
                    EmulatorSession session = emulator.sessionFor(id);
                    session.eventsSentPerTicker().forEach((ticker, count) -> assertThat(
                            seen.keySet().stream().filter(k -> k.startsWith(ticker + "#")).count())
                            .as(ticker).isEqualTo(count));
                }
                assertThat(manager.getHealthStatus().ticksDelivered()).isEqualTo(sent);
                Map<String, Object> health = manager.getHealthStatus().components().get("redis_publisher");
                assertThat(health).containsEntry("published", sent).containsEntry("dropped", 0L)
                        .containsEntry("redis_connected", true);
            }
        }
    }
}
