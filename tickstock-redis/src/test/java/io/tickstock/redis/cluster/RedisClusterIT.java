package io.tickstock.redis.cluster;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Settings;
import io.tickstock.redis.PublishedTick;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.TestTicks;
import io.tickstock.redis.testing.RedisClusterProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Our publisher and subscriber against a real three-master Redis Cluster started on loopback. */
class RedisClusterIT {
    private static final int N = 3_000;
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcess.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void ticksGoThroughShardedPubSubFromPublisherToSubscriber() {
        roundTrip(true, "tickstock:test:sharded");
    }

    @Test
    void plainPubSubWorksOnTheClusterToo() {
        roundTrip(false, "tickstock:test:plain");
    }

    private void roundTrip(boolean sharded, String channel) {
        RedisConfig config = RedisConfig.of(cluster.uri()).withTickChannel(channel);
        List<PublishedTick> got = new CopyOnWriteArrayList<>();
        try (RedisClusterConnector connector = new RedisClusterConnector(config);
             ClusterTickSubscriber sub = ClusterTickSubscriber.start(connector, sharded, t -> got.add((PublishedTick) t));
             ClusterTickPublisher pub = ClusterTickPublisher.start(connector, sharded)) {
            awaitOrExplain(sub::isSubscribed, () -> "subscriber " + sub.health());
            for (int i = 0; i < N; i++) {
                pub.accept(TestTicks.trade(i % 2 == 0 ? "AAPL" : "MSFT", 100 + i, 10, 1_705_853_696_000L + i, i));
            }
            awaitOrExplain(() -> got.size() == N,
                    () -> got.size() + " received; publisher " + pub.health() + "; subscriber " + sub.health());
            List<Long> sent = java.util.stream.LongStream.range(0, N).boxed().toList();
            if (sharded) {
                // one shard carries the channel: the order of publishing is kept
                assertThat(got).extracting(PublishedTick::sequence).containsExactlyElementsOf(sent);
            } else {
                // plain PUBLISH may enter the cluster at different nodes and cross the cluster bus:
                // every tick arrives once, but not necessarily in order (docs/scaling.md)
                assertThat(got).extracting(PublishedTick::sequence).containsExactlyInAnyOrderElementsOf(sent);
            }
            PublishedTick second = got.stream().filter(t -> t.sequence() == 1).findFirst().orElseThrow();
            assertThat(second.symbol()).isEqualTo("MSFT");
            assertThat(second.price()).isEqualTo(101.0);
            assertThat(pub.health()).containsEntry("published", (long) N).containsEntry("dropped", 0L)
                    .containsEntry("command", sharded ? "SPUBLISH" : "PUBLISH");
            if (sharded) {
                // the shard channel lives on exactly one of the three masters: the owner of its slot
                long owners = cluster.ports().stream()
                        .filter(p -> cluster.cli(p, "PUBSUB", "SHARDCHANNELS").contains(channel)).count();
                assertThat(owners).isEqualTo(1);
            }
        }
    }

    private static void awaitOrExplain(java.util.concurrent.Callable<Boolean> condition,
                                       java.util.function.Supplier<String> state) {
        try {
            await().atMost(Duration.ofSeconds(20)).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("timed out; " + state.get(), e);
        }
    }

    @Test
    void shardedPubSubNeedsTheClusterClient() {
        assertThatThrownBy(() -> ClusterConfig.from(Settings.of(Map.of("REDIS_SHARDED_PUBSUB", "true"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_SHARDED_PUBSUB");
        assertThat(ClusterConfig.from(Settings.of(Map.of("REDIS_CLUSTER", "yes", "REDIS_SHARDED_PUBSUB", "on"))))
                .isEqualTo(new ClusterConfig(true, true));
    }
}
