package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.tickstock.core.event.BasicTick;
import io.tickstock.core.event.Tick;
import io.tickstock.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisTickSubscriberIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void handsPublishedTicksToTheListenerAndSkipsBadMessages() {
        List<Tick> got = new CopyOnWriteArrayList<>();
        RedisConfig cfg = RedisConfig.of(REDIS.uri());
        RedisClient raw = RedisClient.create(REDIS.uri());
        try (RedisTickSubscriber sub = RedisTickSubscriber.start(cfg, tick -> {
                 if (tick.symbol().equals("BOOM")) {
                     throw new IllegalStateException("listener bug");
                 }
                 got.add(tick);
             });
             RedisTickPublisher pub = RedisTickPublisher.start(cfg)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sub.isConnected() && pub.isConnected());
            var redis = raw.connect().sync();
            pub.accept(TestTicks.trade("AAPL", 178.23, 50_000, 1_705_853_696_123L, 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 1);
            redis.publish(cfg.tickChannel(), "not json");
            redis.publish(cfg.tickChannel(), "{\"type\":\"market_tick\",\"symbol\":\"X\"}");
            pub.accept(TestTicks.trade("BOOM", 1, 1, 1_000, 2));
            pub.accept(TestTicks.quote("MSFT", 400, 401, 1_705_853_697_000L, 3));
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 2);
            assertThat(got.stream().map(BasicTick::of)).containsExactly(
                    BasicTick.of(TestTicks.trade("AAPL", 178.23, 50_000, 1_705_853_696_123L, 1)),
                    BasicTick.of(TestTicks.quote("MSFT", 400, 401, 1_705_853_697_000L, 3)));
            assertThat(sub.malformed()).isEqualTo(2);
            assertThat(sub.health()).containsEntry("received", 3L).containsEntry("malformed", 2L)
                    .containsEntry("listener_errors", 1L).containsEntry("redis_connected", true);
        } finally {
            raw.shutdown();
        }
    }

    @Test
    void startsBeforeRedisAndSubscribesWhenItComesUp() {
        List<Tick> got = new CopyOnWriteArrayList<>();
        REDIS.server().kill();
        RedisConfig cfg = RedisConfig.of(REDIS.uri());
        try (RedisTickSubscriber sub = RedisTickSubscriber.start(cfg, got::add)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sub.health().get("last_error") != null);
            assertThat(sub.isConnected()).isFalse();
            REDIS.server().restart();
            await().atMost(Duration.ofSeconds(30)).until(sub::isConnected);
            try (RedisTickPublisher pub = RedisTickPublisher.start(cfg)) {
                await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
                pub.accept(TestTicks.trade("AAPL", 1, 1, 1_000, 1));
                await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 1);
            }
        }
    }
}
