package io.tickstock.redis.node;

import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedClient;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.testing.InMemoryFeed;
import io.tickstock.core.testing.InMemoryFeedClient;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisConnector;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
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
        try (ShardCoordinator a = ShardCoordinator.start(connector, config("node-a", "30s"))) {
            FeedClient ca = start(a, feedA);
            InMemoryFeedClient rawA = feedA.client("connection_1");
            assertThat(rawA.subscriptions()).containsExactlyInAnyOrderElementsOf(TICKERS);
            assertThat(ca.subscriptions()).containsExactlyInAnyOrderElementsOf(TICKERS);

            try (ShardCoordinator b = ShardCoordinator.start(connector, config("node-b", "30s"))) {
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
                await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3))
                        .until(() -> rawA.subscriptions().size() == TICKERS.size());

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
        try (ShardCoordinator a = ShardCoordinator.start(connector, config("node-a", "1s"));
             ShardCoordinator b = ShardCoordinator.start(connector, config("node-b", "1s"))) {
            start(a, feedA);
            FeedClient cb = b.wrap(feedB).create(new ConnectionConfig(1, "primary", true, Optional.empty(), TICKERS,
                    "standard"), new Quiet());
            feedB.client("connection_1").holdAcks(true);
            cb.subscribe(TICKERS);
            cb.connect();
            InMemoryFeedClient rawA = feedA.client("connection_1");
            await().atMost(Duration.ofSeconds(6)).until(() -> rawA.subscriptions().size() < TICKERS.size());
            assertThat(a.health()).extractingByKey("released_after_overlap").asString().isNotEqualTo("0");
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
