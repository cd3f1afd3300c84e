package io.tickstock.redis.node;

import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedClient;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.testing.InMemoryFeed;
import io.tickstock.core.testing.ManualTime;
import io.tickstock.core.testing.InMemoryFeedClient;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisConnector;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two shard coordinators (two "nodes" in one JVM) over in-memory feeds and a real redis-server. */
class ShardCoordinatorIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final List<String> TICKERS = IntStream.range(0, 40).mapToObj(i -> "T" + i).toList();

    private RedisConnector connector;
    private final ManualTime time = new ManualTime(Instant.parse("2026-12-01T15:00:00Z"));
    private final Clock clock = time.clock();

    @BeforeEach
    void open() {
        connector = RedisConnector.create(RedisConfig.of(REDIS.uri()));
    }

    @AfterEach
    void close() {
        connector.close();
    }

    private static NodeConfig config(String node, String overlap) {
        return NodeConfig.from(Settings.of(Map.of("TICKSTOCK_NODE_ID", node, "TICKSTOCK_SHARDING", "on",
                "TICKSTOCK_NODE_HEALTH_INTERVAL", "200ms", "TICKSTOCK_NODE_HEALTH_TTL", "1s",
                "TICKSTOCK_SHARD_OVERLAP", overlap)), 1);
    }

    private static FeedClient start(ShardCoordinator shards, InMemoryFeed feed) {
        FeedClient c = shards.wrap(feed).create(new ConnectionConfig(1, "primary", true, Optional.empty(), TICKERS,
                "standard"), new Quiet());
        c.subscribe(TICKERS);
        c.connect().join();
        return c;
    }

    @Test
    void aJoiningNodeTakesItsShareAndTheOldOwnerLetsGoOnlyAfterTheNewOneIsAcknowledged() {
        InMemoryFeed feedA = new InMemoryFeed();
        InMemoryFeed feedB = new InMemoryFeed();
        try (ShardCoordinator a = ShardCoordinator.start(connector, config("node-a", "30s"), clock)) {
            FeedClient ca = start(a, feedA);
            InMemoryFeedClient rawA = feedA.client("connection_1");
            assertThat(rawA.subscriptions()).containsExactlyInAnyOrderElementsOf(TICKERS);
            assertThat(ca.subscriptions()).containsExactlyInAnyOrderElementsOf(TICKERS);

            try (ShardCoordinator b = ShardCoordinator.start(connector, config("node-b", "30s"), clock)) {
                FeedClient cb = b.wrap(feedB).create(new ConnectionConfig(1, "primary", true, Optional.empty(),
                        TICKERS, "standard"), new Quiet());
                InMemoryFeedClient rawB = feedB.client("connection_1");
                rawB.holdAcks(true); // node-b's feed has not confirmed its subscriptions yet
                cb.subscribe(TICKERS);
                cb.connect();
                await().atMost(Duration.ofSeconds(5)).until(() -> a.members().equals(List.of("node-a", "node-b")));
                Set<String> shareB = new HashSet<>(rawB.subscriptions());
                assertThat(shareB).isNotEmpty().hasSizeLessThan(TICKERS.size());
                // make-before-break: node-a keeps everything while node-b is unconfirmed (overlap 30 s)
                awaitRounds(5, a, b);
                assertThat(rawA.subscriptions()).hasSize(TICKERS.size());

                rawB.holdAcks(false);
                await().atMost(Duration.ofSeconds(5)).until(() -> rawA.subscriptions().size() + shareB.size() == TICKERS.size());
                Set<String> shareA = rawA.subscriptions();
                assertThat(shareA).doesNotContainAnyElementsOf(shareB);
                assertThat(b.health()).containsEntry("view_acknowledged", true)
                        .containsEntry("tickers_served", shareB.size());
            }
            // node-b left cleanly: node-a serves everything again
            await().atMost(Duration.ofSeconds(5)).until(() -> rawA.subscriptions().size() == TICKERS.size());
            assertThat(a.members()).containsExactly("node-a");
        }
    }

    @Test
    void anUnconfirmedNewOwnerGetsTheTickersAfterTheOverlapAtTheLatest() {
        InMemoryFeed feedA = new InMemoryFeed();
        InMemoryFeed feedB = new InMemoryFeed();
        try (ShardCoordinator a = ShardCoordinator.start(connector, config("node-a", "1s"), clock);
             ShardCoordinator b = ShardCoordinator.start(connector, config("node-b", "1s"), clock)) {
            start(a, feedA);
            FeedClient cb = b.wrap(feedB).create(new ConnectionConfig(1, "primary", true, Optional.empty(), TICKERS,
                    "standard"), new Quiet());
            feedB.client("connection_1").holdAcks(true);
            cb.subscribe(TICKERS);
            cb.connect();
            InMemoryFeedClient rawA = feedA.client("connection_1");
            await().atMost(Duration.ofSeconds(5)).until(() -> a.members().equals(List.of("node-a", "node-b")));
            // the overlap is read from the clock: while it stands still node-a keeps everything
            awaitRounds(5, a, b);
            assertThat(rawA.subscriptions()).hasSize(TICKERS.size());
            assertThat(a.health()).containsEntry("released_after_overlap", 0L);
            step(Duration.ofMillis(1200), a, b);
            await().atMost(Duration.ofSeconds(5)).until(() -> rawA.subscriptions().size() < TICKERS.size());
            assertThat(a.health()).extractingByKey("released_after_overlap").asString().isNotEqualTo("0");
        }
    }

    @Test
    void membershipIsAHeartbeatSortedSetWhoseStaleMembersAreRemoved() {
        RedisClient client = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> redis = client.connect();
             ShardCoordinator a = ShardCoordinator.start(connector, config("node-a", "1s"), clock)) {
            long now = clock.millis();
            assertThat(redis.sync().zscore("tickstock:shard:members", "node-a")).isEqualTo((double) now);
            assertThat(redis.sync().get("tickstock:nodes:node-a")).isEqualTo(Long.toString(now));
            // a live node (fresh heartbeat) joins the view; a stale one (older than the 1 s TTL) is removed
            redis.sync().zadd("tickstock:shard:members", now - 500, "node-b");
            redis.sync().zadd("tickstock:shard:members", now - 1500, "node-z");
            await().atMost(Duration.ofSeconds(5)).until(() -> a.members().equals(List.of("node-a", "node-b")));
            assertThat(redis.sync().zrange("tickstock:shard:members", 0, -1)).containsExactly("node-b", "node-a");
            // node-b stops beating: a TTL later on the clock it is gone
            step(Duration.ofMillis(600), a);
            await().atMost(Duration.ofSeconds(5)).until(() -> a.members().equals(List.of("node-a")));
            assertThat(redis.sync().zrange("tickstock:shard:members", 0, -1)).containsExactly("node-a");
        } finally {
            client.shutdown();
        }
        assertThat(connector.connectText().sync().zrange("tickstock:shard:members", 0, -1)).isEmpty(); // left cleanly
    }

    @Test
    void aSubscribeTheFeedNeverConfirmsFailsAfterTheOverlapAndPendingOnesFailOnClose() throws Exception {
        InMemoryFeed feed = new InMemoryFeed();
        CompletableFuture<Void> onClose;
        ShardCoordinator a = ShardCoordinator.start(connector, config("node-a", "1s"), clock);
        try {
            FeedClient c = a.wrap(feed).create(new ConnectionConfig(1, "primary", true, Optional.empty(), TICKERS,
                    "standard"), new Quiet());
            feed.client("connection_1").holdAcks(true);
            c.connect();
            CompletableFuture<Void> first = c.subscribe(List.of("T1"));
            awaitRounds(3, a);
            assertThat(first).isNotDone();
            step(Duration.ofMillis(1100), a);
            await().atMost(Duration.ofSeconds(5)).until(first::isDone);
            assertThat(first).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(TimeoutException.class);
            assertThat(a.health()).containsEntry("subscribes_timed_out", 1L);
            onClose = c.subscribe(List.of("T2"));
            assertThat(onClose).isNotDone();
        } finally {
            a.close();
        }
        assertThat(onClose).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
    }

    /** Waits until every coordinator has run {@code n} more rounds. */
    private static void awaitRounds(int n, ShardCoordinator... nodes) {
        long[] from = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            from[i] = nodes[i].rounds();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i].rounds() < from[i] + n) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Moves the clock in steps shorter than the heartbeat TTL, letting every node beat after each. */
    private void step(Duration total, ShardCoordinator... nodes) {
        for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plusMillis(300)) {
            time.advance(Duration.ofMillis(Math.min(300, total.minus(done).toMillis())));
            awaitRounds(2, nodes);
        }
    }

    private static final class Quiet implements FeedListener {
        @Override
        public void onEvent(MarketEvent event) {
        }

        @Override
        public void onStatus(ConnectionStatus status, String message) {
        }

        @Override
        public void onError(String message) {
        }
    }
}
