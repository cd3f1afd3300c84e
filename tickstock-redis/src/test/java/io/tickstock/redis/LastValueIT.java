package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.Tick;
import io.tickstock.redis.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LastValueIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final long T0 = 1_764_601_200_000L;

    private RedisClient client;
    private RedisCommands<String, String> redis;
    private RedisConnector connector;

    @BeforeEach
    void connect() {
        client = RedisClient.create(REDIS.uri());
        redis = client.connect().sync();
        connector = RedisConnector.create(RedisConfig.of(REDIS.uri()));
    }

    @AfterEach
    void close() {
        connector.close();
        client.shutdown();
    }

    private static String json(Tick t) {
        return new String(TickJson.write(t), StandardCharsets.UTF_8);
    }

    private static long hsetCalls(RedisCommands<String, String> redis) {
        for (String line : redis.info("commandstats").split("\r\n")) {
            if (line.startsWith("cmdstat_hset:calls=")) {
                return Long.parseLong(line.substring("cmdstat_hset:calls=".length(), line.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    void theHashesHoldTheLastPublishedMessagePerTickerWrittenOncePerBatch() {
        int n = 30_000;
        try (RedisTickPublisher pub = RedisTickPublisher.start(connector, LastValueConfig.defaults())) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            for (int i = 0; i < n; i++) {
                pub.accept(TestTicks.trade("S" + i % 10, 100 + i % 7, 1, T0 + i, i));
                if (i % 3 == 0) {
                    pub.accept(TestTicks.quote("S" + i % 10, 99, 101, T0 + i, i));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() == n + n / 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> (long) pub.health().get("last_value_written") > 0
                    && pub.queueDepth() == 0 && (long) pub.health().get("in_flight") == 0);
            assertThat(pub.health()).containsEntry("last_value_failed", 0L).containsEntry("last_value_evicted", 0L)
                    .containsEntry("dropped", 0L);
            long batches = (long) pub.health().get("batches");
            assertThat(hsetCalls(redis)).isBetween(1L, 2 * batches).isLessThan(n / 10);
        }
        Map<String, String> trades = redis.hgetall("tickstock:last:T");
        assertThat(trades).hasSize(10);
        for (int s = 0; s < 10; s++) {
            int last = n - 10 + s;
            assertThat(trades.get("S" + s)).isEqualTo(json(TestTicks.trade("S" + s, 100 + last % 7, 1, T0 + last, last)));
        }
        Map<String, String> quotes = redis.hgetall("tickstock:last:Q");
        assertThat(quotes).hasSize(10);
        int lastQuote = (n - 1) / 3 * 3; // 29997: S7
        assertThat(quotes.get("S7")).isEqualTo(json(TestTicks.quote("S7", 99, 101, T0 + lastQuote, lastQuote)));
    }

    @Test
    void tickersBeyondTheCapAreDeletedOldestFirstAndCounted() {
        LastValueConfig keys = new LastValueConfig(true, "lv:", 5);
        try (RedisTickPublisher pub = RedisTickPublisher.start(connector, keys)) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            for (int i = 0; i < 8; i++) {
                pub.accept(TestTicks.trade("S" + i, 1, 1, T0 + i, i));
                await().atMost(Duration.ofSeconds(10)).until(() -> pub.queueDepth() == 0
                        && (long) pub.health().get("in_flight") == 0);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> (long) pub.health().get("last_value_written") == 8);
            assertThat(pub.health()).containsEntry("last_value_evicted", 3L);
        }
        assertThat(redis.hkeys("lv:T")).containsExactlyInAnyOrder("S3", "S4", "S5", "S6", "S7");
        assertThat(redis.exists("lv:Q")).isZero();
    }

    @Test
    void disabledWritesNoHash() {
        try (RedisTickPublisher pub = RedisTickPublisher.start(connector, new LastValueConfig(false, "lv:", 5))) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            pub.accept(TestTicks.trade("A", 1, 1, T0, 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> pub.published() == 1);
            assertThat(pub.health()).doesNotContainKey("last_value_written");
        }
        assertThat(redis.keys("*")).isEmpty();
    }

    /**
     * The documented hand-over under load: while ticks are published as fast as the publisher takes them,
     * a consumer starts from the snapshot and follows the channel. Per ticker and type it must see the
     * snapshot's value and then every later tick exactly once, in order, up to the last one.
     */
    @Test
    void aConsumerStartingMidStreamSeesNoGapAndNoDouble() throws Exception {
        int symbols = 40;
        int perSymbol = 4_000;
        ConcurrentLinkedQueue<Tick> seen = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicReference<LastValueSubscriber> consumer = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong publishedBefore = new java.util.concurrent.atomic.AtomicLong();
        try (RedisTickPublisher pub = RedisTickPublisher.start(connector, LastValueConfig.defaults())) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            Thread feeder = new Thread(() -> {
                for (int q = 1; q <= perSymbol; q++) {
                    for (int s = 0; s < symbols; s++) {
                        // stay below the publisher's queue capacity (no drop), and keep the consumer within a few MB
                        // of the stream: Redis disconnects a pub/sub client whose output buffer passes its limit
                        while (pub.queueDepth() > 20_000 || (consumer.get() != null
                                && pub.published() - publishedBefore.get() - consumer.get().received() > 20_000)) {
                            Thread.onSpinWait();
                        }
                        pub.accept(TestTicks.trade("S" + s, 100, 1, T0 + q / 3, q));
                        if (s % 2 == 0) {
                            pub.accept(TestTicks.quote("S" + s, 99, 101, T0 + q / 3, q));
                        }
                    }
                }
            }, "feeder");
            feeder.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() > symbols * perSymbol / 4);
            LastValueSubscriber sub;
            try (LastValueSubscriber s = LastValueSubscriber.start(connector, LastValueConfig.defaults(), List.of(),
                    1_000_000, seen::add)) {
                sub = s;
                // what the consumer has not received of what was published since it subscribed (roughly)
                publishedBefore.set(pub.published() - s.received());
                consumer.set(s);
                assertThat(s.snapshotSize()).isEqualTo(symbols + symbols / 2);
                feeder.join(120_000);
                assertThat(feeder.isAlive()).as("feeder finished").isFalse();
                long total = (long) symbols * perSymbol + (long) symbols / 2 * perSymbol;
                await().atMost(Duration.ofSeconds(60)).until(() -> pub.published() == total);
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream()
                        .filter(t -> ((PublishedTick) t).sequence() == perSymbol).count() == symbols + symbols / 2);
                assertThat(pub.dropped()).isZero();
                assertThat(s.handOverDropped()).isZero();
                assertThat(s.resubscriptions()).isZero();
                assertThat(s.malformed()).isZero();
            }
            // Replay what the consumer saw: per (type, ticker), consecutive sequences from the snapshot's on.
            Map<String, Long> next = new HashMap<>();
            int snapshotCount = 0;
            for (Tick t : seen) {
                PublishedTick p = (PublishedTick) t;
                String key = p.eventType() + "." + p.symbol();
                Long want = next.get(key);
                if (want == null) { // the first value of each is the snapshot's
                    snapshotCount++;
                } else {
                    assertThat(p.sequence()).as("next %s", key).isEqualTo(want);
                }
                next.put(key, p.sequence() + 1);
            }
            assertThat(snapshotCount).isEqualTo(sub.snapshotSize());
            assertThat(next).hasSize(symbols + symbols / 2).allSatisfy((k, v) -> assertThat(v).isEqualTo(perSymbol + 1L));
            assertThat(next.keySet()).allMatch(k -> k.startsWith(EventType.T + ".") || k.startsWith(EventType.Q + "."));
        }
    }
}
