package io.tickstock.core.bus;

import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Trade;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LocalTickBusTest {

    private static Trade trade(long seq) {
        return new Trade("connection_1", "AAPL", 4, "t" + seq, 100, 1, List.of(), seq, seq, 3, seq);
    }

    @Test
    void everySubscriberGetsEveryTickInOrder() {
        try (LocalTickBus bus = new LocalTickBus()) {
            List<Long> a = new CopyOnWriteArrayList<>();
            List<Long> b = new CopyOnWriteArrayList<>();
            bus.subscribe("a", 100, e -> a.add(e.sequence()));
            bus.subscribe("b", 100, e -> b.add(e.sequence()));
            for (long i = 1; i <= 50; i++) {
                bus.accept(trade(i));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> a.size() == 50 && b.size() == 50);
            assertThat(a).isEqualTo(b).startsWith(1L, 2L, 3L).endsWith(50L);
        }
    }

    @Test
    void aSlowSubscriberLosesItsOwnOldestTicksAndNeverSlowsOthers() throws Exception {
        try (LocalTickBus bus = new LocalTickBus()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch slowHasOne = new CountDownLatch(1);
            List<Long> slow = new CopyOnWriteArrayList<>();
            List<Long> fast = new CopyOnWriteArrayList<>();
            LocalTickBus.Subscription slowSub = bus.subscribe("slow", 10, e -> {
                slow.add(e.sequence());
                slowHasOne.countDown();
                try {
                    release.await();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            });
            bus.subscribe("fast", 1_000, e -> fast.add(e.sequence()));

            bus.accept(trade(1));
            assertThat(slowHasOne.await(5, TimeUnit.SECONDS)).isTrue(); // slow is now stuck holding tick 1
            for (long i = 2; i <= 101; i++) {
                bus.accept(trade(i)); // never blocks although "slow" is stuck
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> fast.size() == 101);
            assertThat(slowSub.stats().dropped()).isEqualTo(90); // 100 offered, 10 kept
            assertThat(slowSub.stats().depth()).isEqualTo(10);

            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.size() == 11);
            assertThat(slow).containsExactly(1L, 92L, 93L, 94L, 95L, 96L, 97L, 98L, 99L, 100L, 101L);
            assertThat(bus.health()).containsKey("subscribers");
        }
    }

    @Test
    void aThrowingSubscriberIsCountedAndKeepsReceiving() {
        try (LocalTickBus bus = new LocalTickBus()) {
            List<MarketEvent> seen = new CopyOnWriteArrayList<>();
            LocalTickBus.Subscription s = bus.subscribe("bad", 10, e -> {
                seen.add(e);
                throw new IllegalStateException("bug");
            });
            bus.accept(trade(1));
            bus.accept(trade(2));
            await().atMost(Duration.ofSeconds(5)).until(() -> s.stats().errors() == 2);
            assertThat(seen).hasSize(2);
        }
    }
}
