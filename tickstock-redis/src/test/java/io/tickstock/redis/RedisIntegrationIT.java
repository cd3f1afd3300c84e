package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickstock.core.config.Settings;
import io.tickstock.core.event.Tick;
import io.tickstock.core.universe.UniverseResolver;
import io.tickstock.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisIntegrationIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void withoutRedisUrlNothingStarts() {
        assertThat(RedisIntegration.start(Settings.of(Map.of()))).isEmpty();
    }

    @Test
    void startsPublisherUniversesAndSubscribersFromSettings() {
        Settings settings = Settings.of(Map.of("REDIS_URL", REDIS.uri(), "REDIS_TICK_CHANNEL", "custom:ticks"));
        List<Tick> got = new CopyOnWriteArrayList<>();
        try (RedisIntegration redis = RedisIntegration.start(settings).orElseThrow()) {
            RedisTickSubscriber sub = redis.subscribe(got::add);
            await().atMost(Duration.ofSeconds(30)).until(() -> sub.isConnected() && redis.publisher().isConnected());
            redis.publisher().accept(TestTicks.trade("AAPL", 1.5, 10, 1_000, 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 1);
            assertThat(got.get(0).symbol()).isEqualTo("AAPL");

            UniverseResolver resolver = UniverseResolver.fromSettings(settings, redis.universes());
            assertThat(resolver.sources().get(0)).isSameAs(redis.universes());
            assertThat(resolver.resolve("dow30").orElseThrow().source()).startsWith("bundled");
        }
    }
}
