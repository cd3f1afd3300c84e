package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickstock.core.event.Trade;
import io.tickstock.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis is killed under a steady feed and started again: everything recovers by itself. */
class RedisFaultIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void publisherAndSubscriberRideOutARedisCrash() throws Exception {
        RedisConfig cfg = RedisConfig.from(io.tickstock.core.config.Settings.of(Map.of(
                "REDIS_URL", REDIS.uri(),
                "REDIS_PUBLISH_QUEUE_CAPACITY", "1000",
                "REDIS_PUBLISH_BATCH_SIZE", "100",
                "REDIS_COMMAND_TIMEOUT", "1s",
                "REDIS_RECONNECT_MAX_DELAY", "500ms"))).orElseThrow();
        AtomicLong maxAcceptNanos = new AtomicLong();
        AtomicLong seq = new AtomicLong();
        ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor();
        try (RedisTickPublisher pub = RedisTickPublisher.start(cfg);
             RedisTickSubscriber sub = RedisTickSubscriber.start(cfg, tick -> { })) {
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.isConnected() && sub.isConnected());
            // ~2,500 ticks/s, as a feed I/O thread would hand them over
            feed.scheduleAtFixedRate(() -> {
                for (int i = 0; i < 5; i++) {
                    long q = seq.getAndIncrement();
                    Trade t = TestTicks.trade("S" + (q % 20), 100.0, 1, 1_700_000_000_000L + q, q);
                    long t0 = System.nanoTime();
                    pub.accept(t);
                    maxAcceptNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                }
            }, 0, 2, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> sub.received() >= 500);

            REDIS.server().kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> !pub.isConnected());
            assertThat(pub.health()).containsEntry("redis_connected", false);
            // the feed keeps flowing into a bounded queue whose oldest ticks are dropped and counted
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.droppedQueueFull() > 2_000);
            assertThat(pub.queueDepth()).isLessThanOrEqualTo(1_000);
            long receivedDuringOutage = sub.received();
            long publishedDuringOutage = pub.published();

            REDIS.server().restart();
            // no restart of ours: Lettuce reconnects, the subscriber re-subscribes, publishing resumes
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.isConnected() && sub.isConnected());
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() > publishedDuringOutage + 2_000);
            assertThat(pub.dispatchesOnEventLoop()).isTrue(); // learnt again on the new channel
            await().atMost(Duration.ofSeconds(30)).until(() -> sub.received() > receivedDuringOutage + 2_000);

            feed.shutdown();
            assertThat(feed.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.queueDepth() == 0
                    && pub.published() + pub.dropped() == pub.offered());
            assertThat(pub.offered()).isEqualTo(seq.get());
            assertThat(pub.dropped()).isPositive();
            assertThat(pub.lastError()).isNotNull();
            assertThat(pub.health()).containsEntry("redis_connected", true).containsEntry("in_flight", 0L);
            // never blocked: a blocked caller would show the outage's seconds here
            assertThat(Duration.ofNanos(maxAcceptNanos.get())).isLessThan(Duration.ofMillis(500));
        } finally {
            feed.shutdownNow();
        }
    }

    @Test
    void aStalledRedisNeverStallsTheCaller() throws Exception {
        RedisConfig cfg = RedisConfig.from(io.tickstock.core.config.Settings.of(Map.of(
                "REDIS_URL", REDIS.uri(),
                "REDIS_PUBLISH_QUEUE_CAPACITY", "1000",
                "REDIS_PUBLISH_BATCH_SIZE", "100",
                "REDIS_COMMAND_TIMEOUT", "500ms"))).orElseThrow();
        AtomicLong maxAcceptNanos = new AtomicLong();
        AtomicLong seq = new AtomicLong();
        ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor();
        try (RedisTickPublisher pub = RedisTickPublisher.start(cfg)) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            feed.scheduleAtFixedRate(() -> {
                for (int i = 0; i < 5; i++) {
                    long q = seq.getAndIncrement();
                    long t0 = System.nanoTime();
                    pub.accept(TestTicks.trade("S" + (q % 20), 100.0, 1, 1_700_000_000_000L + q, q));
                    maxAcceptNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                }
            }, 0, 2, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() >= 500);

            REDIS.server().freeze(); // the socket stays open, nothing is answered
            try {
                // unanswered commands stay in flight (Lettuce still holds them) and stop the publisher
                // from handing over more; the queue overflows and counts
                await().atMost(Duration.ofSeconds(30)).until(() -> pub.isStalled()
                        && pub.droppedQueueFull() > 1_000);
                assertThat(pub.queueDepth()).isLessThanOrEqualTo(1_000);
                assertThat(pub.inFlight()).isLessThanOrEqualTo(100L * 4); // batch size x batches in flight
                assertThat(pub.droppedRedis()).isZero();
            } finally {
                REDIS.server().thaw();
            }
            long publishedAfterStall = pub.published();
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() > publishedAfterStall + 2_000);

            feed.shutdown();
            assertThat(feed.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.queueDepth() == 0
                    && pub.published() + pub.dropped() == pub.offered());
            assertThat(pub.offered()).isEqualTo(seq.get());
            assertThat(pub.lastError()).contains("no reply from Redis within");
            assertThat(Duration.ofNanos(maxAcceptNanos.get())).isLessThan(Duration.ofMillis(500));
        } finally {
            feed.shutdownNow();
        }
    }
}
