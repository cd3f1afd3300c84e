package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.tickstock.core.config.Settings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Redis frozen with SIGSTOP for 30 s under 5,000 ticks/s: the socket stays open and nothing is answered.
 * The publisher must keep what Lettuce holds within its budget, never provoke rejected commands, log a
 * handful of lines, keep the heap flat, and keep {@code offered = published + dropped + queued + in
 * flight} at every sample and {@code offered = published + dropped} once drained.
 */
class RedisStallIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final int QUEUE = 10_000;
    private static final int BATCH = 500;
    private static final int BATCHES_IN_FLIGHT = 4;

    @Test
    void aThirtySecondStallCostsBoundedMemoryAndAFewLogLines() throws Exception {
        RedisConfig cfg = RedisConfig.from(Settings.of(Map.of(
                "REDIS_URL", REDIS.uri(),
                "REDIS_PUBLISH_QUEUE_CAPACITY", Integer.toString(QUEUE),
                "REDIS_PUBLISH_BATCH_SIZE", Integer.toString(BATCH),
                "REDIS_PUBLISH_MAX_IN_FLIGHT_BATCHES", Integer.toString(BATCHES_IN_FLIGHT),
                "REDIS_REQUEST_QUEUE_SIZE", Integer.toString((BATCH + 4) * BATCHES_IN_FLIGHT), // the least the config allows
                "REDIS_COMMAND_TIMEOUT", "500ms"))).orElseThrow();
        CountingAppender logs = CountingAppender.attach();
        AtomicLong seq = new AtomicLong();
        ConcurrentLinkedQueue<String> broken = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor();
        ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (RedisTickPublisher pub = RedisTickPublisher.start(cfg)) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            feed.scheduleAtFixedRate(() -> {
                for (int i = 0; i < 5; i++) { // 5 per ms: 5,000 ticks/s
                    long q = seq.getAndIncrement();
                    pub.accept(TestTicks.trade("S" + (q % 50), 100.0, 1, 1_700_000_000_000L + q, q));
                }
            }, 0, 1, TimeUnit.MILLISECONDS);
            probe.scheduleAtFixedRate(() -> check(pub, broken), 0, 20, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() >= 5_000);
            System.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();
            int linesBefore = logs.count();

            REDIS.server().freeze();
            long frozenAt = System.nanoTime();
            long retainedDuringStall;
            try {
                await().atMost(Duration.ofSeconds(10)).until(pub::isStalled);
                long remaining = TimeUnit.SECONDS.toNanos(30) - (System.nanoTime() - frozenAt);
                Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(remaining))); // the fault lasts 30 s
                System.gc(); // what the stall retains, not the garbage of the moment
                retainedDuringStall = memory.getHeapMemoryUsage().getUsed();
                assertThat(pub.health()).containsEntry("stalled", true);
                assertThat(pub.inFlight()).isLessThanOrEqualTo((long) BATCH * BATCHES_IN_FLIGHT);
                assertThat(pub.droppedQueueFull()).isGreaterThan(100_000L); // 150,000 offered in 30 s
                assertThat(pub.droppedRedis()).isZero(); // nothing rejected: Lettuce's stack never overflowed
            } finally {
                REDIS.server().thaw();
            }
            int stallLines = logs.count() - linesBefore;
            await().atMost(Duration.ofSeconds(20)).until(() -> !pub.isStalled());
            long publishedAfterStall = pub.published();
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() > publishedAfterStall + 5_000);

            feed.shutdown();
            assertThat(feed.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.queueDepth() == 0 && pub.inFlight() == 0);
            probe.shutdown();
            assertThat(probe.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pub.offered()).isEqualTo(seq.get());
            assertThat(pub.published() + pub.dropped()).isEqualTo(pub.offered());
            assertThat(broken).isEmpty();
            // one warning when the stall began, at most one summary a minute, one line when it ended
            assertThat(stallLines).isBetween(1, 4);
            assertThat(logs.messages()).noneMatch(m -> m.contains("Internal stack size exceeded"));
            // queue, in-flight window and their ticks: a few MB at most, whatever the stall's length
            assertThat(retainedDuringStall - heapBefore).isLessThan(64L * 1024 * 1024);
        } finally {
            feed.shutdownNow();
            probe.shutdownNow();
            logs.detach();
        }
    }

    /** Samples the accounting identity; the counters move while it reads, so it reads them bracketed. */
    private static void check(RedisTickPublisher pub, ConcurrentLinkedQueue<String> broken) {
        long offeredBefore = pub.offered();
        long accounted = pub.published() + pub.dropped() + pub.queueDepth() + pub.inFlight();
        long offeredAfter = pub.offered();
        // A tick may move between two counters while they are read; the publisher moves each tick
        // from one to the next, so the sum can differ from "offered" by at most one batch in motion.
        if (accounted < offeredBefore - BATCH || accounted > offeredAfter + BATCH) {
            broken.add("offered " + offeredBefore + ".." + offeredAfter + " but accounted " + accounted);
        }
    }

    /** Counts WARN and ERROR events of every logger (Lettuce's and Netty's included). */
    private static final class CountingAppender extends AppenderBase<ILoggingEvent> {
        private final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();

        static CountingAppender attach() {
            LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            CountingAppender a = new CountingAppender();
            a.setContext(ctx);
            a.start();
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(a);
            return a;
        }

        @Override
        protected void append(ILoggingEvent e) {
            if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                messages.add(e.getFormattedMessage());
            }
        }

        int count() {
            return messages.size();
        }

        java.util.List<String> messages() {
            return java.util.List.copyOf(messages);
        }

        void detach() {
            LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
            stop();
        }
    }
}
