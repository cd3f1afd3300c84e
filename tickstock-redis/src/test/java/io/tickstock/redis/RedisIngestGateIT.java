package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickstock.core.bus.IngestGate;
import io.tickstock.core.config.Settings;
import io.tickstock.core.event.Trade;
import io.tickstock.core.resources.TickStockResources;
import io.tickstock.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The publisher holding the {@link IngestGate} while Redis is frozen (SIGSTOP): a "feed" offers 20,000
 * ticks/s only while the gate is open, as the Massive client reads only then. A freeze shorter than the
 * maximum pause costs no tick; a longer one costs one pause and then the old drop-oldest behaviour,
 * counted; without a pause the same freeze drops ticks (so the first test can fail).
 */
class RedisIngestGateIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final int QUEUE = 8_192;
    private static final Duration FREEZE = Duration.ofMillis(1_500);

    private final TickStockResources resources = TickStockResources.create("gate-test-control");
    private final ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong offered = new AtomicLong();
    /** Feed rounds skipped because the gate was held: the feed's "not reading". */
    private final AtomicLong pausedRounds = new AtomicLong();

    @AfterEach
    void stop() {
        feed.shutdownNow();
        resources.close();
    }

    private RedisTickPublisher publisher(Duration maxPause, IngestGate gate) {
        RedisConfig cfg = RedisConfig.from(Settings.of(Map.of(
                "REDIS_URL", REDIS.uri(),
                "REDIS_PUBLISH_QUEUE_CAPACITY", Integer.toString(QUEUE),
                "REDIS_PUBLISH_BATCH_SIZE", "256",
                "REDIS_COMMAND_TIMEOUT", "500ms",
                "REDIS_PUBLISH_MAX_PAUSE", maxPause.toMillis() + "ms"))).orElseThrow();
        return RedisTickPublisher.start(cfg).ingestGate(gate);
    }

    private IngestGate gate(Duration maxPause) {
        return new IngestGate(maxPause, resources.scheduler(), resources::nanoTime);
    }

    /** 20 ticks a millisecond while the gate is open, once the publisher has reached Redis. */
    private void feed(RedisTickPublisher pub, IngestGate gate) {
        feed(pub, gate, 1);
    }

    /**
     * As {@link #feed(RedisTickPublisher, IngestGate)}, over one connection per delay taking turns (a round
     * each, as frames come), each trade of {@code connection_<n>} received {@code delaysMs[n - 1]} after its own time.
     */
    private void feed(RedisTickPublisher pub, IngestGate gate, long... delaysMs) {
        // not before: a publisher still connecting would fill its queue and hold the gate at start-up
        await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
        AtomicLong rounds = new AtomicLong();
        feed.scheduleAtFixedRate(() -> {
            if (!gate.isOpen()) {
                pausedRounds.incrementAndGet();
                return;
            }
            int c = (int) (rounds.getAndIncrement() % delaysMs.length);
            for (int i = 0; i < 20; i++) {
                long q = offered.getAndIncrement();
                long t = 1_700_000_000_000L + q;
                pub.accept(new Trade("connection_" + (c + 1), "S" + (q % 100), 4, "t" + q, 100.0, 1, List.of(), t, q,
                        3, t + delaysMs[c]));
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
    }

    /** Freezes Redis for {@link #FREEZE} once the publisher has published a first few thousand ticks. */
    private void freezeRedis(RedisTickPublisher pub) throws InterruptedException {
        await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() >= 5_000);
        REDIS.server().freeze();
        try {
            // the fault itself lasts FREEZE; the test waits for it, nothing is synchronised by it
            TimeUnit.MILLISECONDS.sleep(FREEZE.toMillis());
        } finally {
            REDIS.server().thaw();
        }
    }

    private void stopFeedAndDrain(RedisTickPublisher pub) throws InterruptedException {
        await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() + pub.dropped() >= offered.get() - 20_000
                && pub.queueDepth() < QUEUE / 4);
        feed.shutdown();
        assertThat(feed.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> pub.queueDepth() == 0 && pub.inFlight() == 0);
        assertThat(pub.offered()).isEqualTo(offered.get());
        assertThat(pub.published() + pub.dropped()).isEqualTo(pub.offered());
    }

    @Test
    void aFreezeShorterThanTheMaximumPausePausesTheFeedAndLosesNoTick() throws Exception {
        IngestGate gate = gate(Duration.ofSeconds(5));
        try (RedisTickPublisher pub = publisher(Duration.ofSeconds(5), gate)) {
            feed(pub, gate);
            freezeRedis(pub); // 1.5 s x 20,000 ticks/s: nearly four times the queue
            await().atMost(Duration.ofSeconds(30)).until(gate::isOpen);
            stopFeedAndDrain(pub);
            assertThat(pub.dropped()).isZero();
            assertThat(pub.published()).isEqualTo(offered.get());
            assertThat(gate.holds()).isPositive();
            assertThat(gate.expired()).isZero();
            assertThat(pausedRounds.get()).isPositive();
            assertThat(gate.heldTotal()).isGreaterThan(Duration.ofMillis(500));
            assertThat(pub.health()).containsEntry("behind_market", false).containsEntry("feed_lag_ms", 1L);
        }
    }

    @Test
    void feedsAlreadyFurtherBehindTheMarketThanTheMaximumLagAreNotPausedTheirTicksAreDroppedAndCounted()
            throws Exception {
        IngestGate gate = gate(Duration.ofSeconds(5));
        try (RedisTickPublisher pub = publisher(Duration.ofSeconds(5), gate)) { // REDIS_PUBLISH_MAX_LAG: 5 s
            feed(pub, gate, 10_000); // every trade arrives 10 s after its own time
            await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(10_000L).equals(pub.health().get("feed_lag_ms")));
            freezeRedis(pub);
            stopFeedAndDrain(pub);
            assertThat(pub.droppedQueueFull()).isPositive();
            assertThat(gate.holds()).isZero();
            assertThat(pausedRounds.get()).isZero();
            assertThat(pub.health()).containsEntry("behind_market", true).containsEntry("feed_lag_ms", 10_000L);
        }
    }

    @Test
    void oneConnectionBehindTheMarketBesideACaughtUpOneIsNotPausedEither() throws Exception {
        IngestGate gate = gate(Duration.ofSeconds(5));
        try (RedisTickPublisher pub = publisher(Duration.ofSeconds(5), gate)) { // REDIS_PUBLISH_MAX_LAG: 5 s
            // connection_1 reads its ticks at once, connection_2 10 s after their time (its backlog on the
            // feed server): pausing both would let connection_2's backlog grow until the server cuts it
            feed(pub, gate, 1, 10_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(10_000L).equals(pub.health().get("feed_lag_ms")));
            freezeRedis(pub);
            // while both still read: every window has ticks of both
            assertThat(pub.health()).containsEntry("behind_market", true).containsEntry("feed_lag_ms", 10_000L);
            stopFeedAndDrain(pub);
            assertThat(pub.droppedQueueFull()).isPositive();
            assertThat(gate.holds()).isZero();
            assertThat(pausedRounds.get()).isZero();
        }
    }

    @Test
    void withoutAPauseTheSameFreezeDropsTicksAndCountsThem() throws Exception {
        IngestGate gate = gate(Duration.ZERO);
        try (RedisTickPublisher pub = publisher(Duration.ZERO, gate)) {
            feed(pub, gate);
            freezeRedis(pub);
            stopFeedAndDrain(pub);
            assertThat(pub.droppedQueueFull()).isPositive();
            assertThat(gate.holds()).isZero();
            assertThat(pausedRounds.get()).isZero();
        }
    }

    @Test
    void aFreezeLongerThanTheMaximumPauseCostsOnePauseThenDropsAsBeforeAndHoldsAgainOnceDrained() throws Exception {
        IngestGate gate = gate(Duration.ofMillis(300));
        try (RedisTickPublisher pub = publisher(Duration.ofMillis(300), gate)) {
            feed(pub, gate);
            long expiredBefore = gate.expired();
            long pausedBefore = pausedRounds.get();
            Duration heldBefore = gate.heldTotal();
            freezeRedis(pub);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.queueDepth() < QUEUE / 4);
            long pausedAfterFreeze = pausedRounds.get() - pausedBefore;
            stopFeedAndDrain(pub);
            assertThat(gate.expired() - expiredBefore).isEqualTo(1);
            assertThat(pub.droppedQueueFull()).isPositive();
            // one pause of at most 300 ms (plus a scheduler tick): the feed was not held for the whole freeze
            assertThat(pausedAfterFreeze).isLessThan(FREEZE.toMillis() / 2);
            assertThat(gate.heldTotal().minus(heldBefore)).isLessThan(Duration.ofMillis(600));
            // drained: the gate answers holds again
            gate.hold();
            assertThat(gate.isOpen()).isFalse();
            gate.release();
        }
    }
}
