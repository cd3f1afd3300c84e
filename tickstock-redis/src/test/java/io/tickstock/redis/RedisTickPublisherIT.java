package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.tickstock.core.event.Trade;
import io.tickstock.redis.testing.ChannelRecorder;
import io.tickstock.redis.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisTickPublisherIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RedisClient client;
    private RedisCommands<String, String> redis;

    @BeforeEach
    void connect() {
        client = RedisClient.create(REDIS.uri());
        redis = client.connect().sync();
    }

    @AfterEach
    void close() {
        client.shutdown();
    }

    /** A plain Lettuce subscriber, independent of the code under test. */
    private ConcurrentLinkedQueue<String> subscribe(String channel) {
        return ChannelRecorder.record(client, channel);
    }

    private static List<Trade> trades(int n, int symbols) {
        List<Trade> out = new ArrayList<>(n);
        long t0 = 1_705_853_696_000L;
        for (int i = 0; i < n; i++) {
            String sym = "S" + (i % symbols);
            out.add(TestTicks.trade(sym, 100 + (i % 1000) / 100.0, 1 + i % 500, t0 + i, i / symbols));
        }
        return out;
    }

    @Test
    void everyTickBecomesExactlyOneMessageInOrderPerSymbolWithEveryField() throws Exception {
        int n = 20_000;
        ConcurrentLinkedQueue<String> got = subscribe(RedisConfig.DEFAULT_CHANNEL);
        List<Trade> sent = trades(n, 50);
        try (RedisTickPublisher pub = RedisTickPublisher.start(RedisConfig.of(REDIS.uri()))) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            sent.forEach(pub::accept);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() == n);
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= n);
            assertThat(pub.dropped()).isZero();
            assertThat(pub.dispatchesOnEventLoop()).isTrue();
            assertThat(pub.health()).containsEntry("published", (long) n).containsEntry("dropped", 0L)
                    .containsEntry("queue_depth", 0).containsEntry("redis_connected", true)
                    .containsEntry("last_error", null);
        }
        assertThat(got).hasSize(n);
        Map<String, Long> lastSeqBySymbol = new HashMap<>();
        int i = 0;
        for (String msg : got) {
            JsonNode node = MAPPER.readTree(msg);
            assertThat(node.get("type").asText()).isEqualTo("market_tick");
            assertThat(node.get("symbol").isTextual()).isTrue();
            assertThat(node.get("price").isNumber()).isTrue();
            assertThat(node.get("volume").isIntegralNumber()).isTrue();
            assertThat(node.get("timestamp").isFloatingPointNumber()).isTrue();
            assertThat(node.get("source").asText()).isEqualTo("massive");
            assertThat(node.get("event_type").asText()).isEqualTo("T");
            assertThat(node.get("connection_id").asText()).isEqualTo("connection_1");
            String sym = node.get("symbol").asText();
            long seq = node.get("sequence").asLong();
            Long prev = lastSeqBySymbol.put(sym, seq);
            assertThat(seq).as("order of %s", sym).isEqualTo(prev == null ? 0 : prev + 1);
            // one publisher thread, one connection: global order is kept too
            Trade expected = sent.get(i++);
            assertThat(sym).isEqualTo(expected.symbol());
            assertThat(node.get("price").asDouble()).isEqualTo(expected.price());
            assertThat(node.get("volume").asLong()).isEqualTo(expected.volume());
            assertThat(node.get("timestamp").decimalValue().movePointRight(3).longValueExact())
                    .isEqualTo(expected.timestamp());
        }
        assertThat(lastSeqBySymbol).hasSize(50).allSatisfy((s, last) -> assertThat(last).isEqualTo(n / 50 - 1));
    }

    @Test
    void streamModeAppendsEveryTickAndTrimsApproximately() {
        int n = 5_000;
        String stream = "tickstock:ticks:stream";
        RedisConfig cfg = RedisConfig.of(REDIS.uri()).withTickStream(stream, 100);
        List<Trade> sent = trades(n, 7);
        try (RedisTickPublisher pub = RedisTickPublisher.start(cfg)) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            sent.forEach(pub::accept);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.streamAppended() == n && pub.published() == n);
            assertThat(pub.health()).containsEntry("stream_appended", (long) n).containsEntry("stream_failed", 0L);
        }
        long len = redis.xlen(stream);
        // MAXLEN ~ trims whole radix-tree nodes (100 entries each by default): at least 100 stay, never all.
        assertThat(len).isBetween(100L, 300L);
        List<StreamMessage<String, String>> last = redis.xrevrange(stream, io.lettuce.core.Range.create("-", "+"),
                io.lettuce.core.Limit.create(0, 1));
        assertThat(last).hasSize(1);
        assertThat(last.get(0).getBody().get("data"))
                .isEqualTo(new String(TickJson.write(sent.get(n - 1)), StandardCharsets.UTF_8));
    }

    @Test
    void fullQueueDropsTheOldestAndCountsThemWhileRedisIsUnreachable() {
        // Nothing listens on this port: the publisher keeps trying, the caller never waits.
        RedisConfig cfg = RedisConfig.of("redis://:s3cr3tpass@127.0.0.1:" + unusedPort()).withQueue(100, 10);
        try (RedisTickPublisher pub = RedisTickPublisher.start(cfg)) {
            trades(1_000, 3).forEach(pub::accept);
            assertThat(pub.offered()).isEqualTo(1_000);
            assertThat(pub.queueDepth()).isEqualTo(100);
            assertThat(pub.droppedQueueFull()).isEqualTo(900);
            assertThat(pub.isConnected()).isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.lastError() != null);
            assertThat(pub.health().toString()).doesNotContain("s3cr3tpass").contains(":****@");
        }
    }

    @Test
    void closeRightAfterStartFlushesEveryTickWhileTheConnectIsStillInProgress() {
        ConcurrentLinkedQueue<String> got = subscribe(RedisConfig.DEFAULT_CHANNEL);
        List<Trade> sent = trades(2_000, 4);
        RedisTickPublisher pub = RedisTickPublisher.start(RedisConfig.of(REDIS.uri()));
        sent.forEach(pub::accept); // before the publisher thread has connected
        pub.close();
        assertThat(pub.everConnected()).isTrue();
        assertThat(pub.published()).isEqualTo(2_000);
        assertThat(pub.dropped()).isZero();
        assertThat(pub.inFlight()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2_000);
    }

    @Test
    void closeWithRedisUnreachableGivesUpWithinItsBoundAndCountsEveryTick() {
        RedisConfig cfg = RedisConfig.from(io.tickstock.core.config.Settings.of(Map.of(
                "REDIS_URL", "redis://127.0.0.1:" + unusedPort(),
                "REDIS_CONNECT_TIMEOUT", "500ms",
                "REDIS_COMMAND_TIMEOUT", "500ms"))).orElseThrow();
        RedisTickPublisher pub = RedisTickPublisher.start(cfg);
        trades(50, 2).forEach(pub::accept);
        long t0 = System.nanoTime();
        pub.close();
        // connect timeout + command timeout, and the thread's join; never the full reconnect backoff loop
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        assertThat(pub.everConnected()).isFalse();
        assertThat(pub.published()).isZero();
        assertThat(pub.dropped()).isEqualTo(50);
        assertThat(pub.offered()).isEqualTo(50);
    }

    private static int unusedPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
