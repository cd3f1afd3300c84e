package io.tickstock.feed.massive;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.emulator.MassiveEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The embedder's entry point: a slow or failing listener costs bounded memory and never the feed. */
class TickStockIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private MassiveEmulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.stop();
        }
    }

    private Settings settings() {
        emulator = MassiveEmulator.builder().port(0).apiKeys("key").eventsPerSecond(5_000).build().start();
        Map<String, String> s = new HashMap<>();
        s.put(MassiveConfig.URL, emulator.url());
        s.put(MassiveConfig.API_KEY, "key");
        s.put(MassiveConfig.CHANNELS, "T");
        s.put("WEBSOCKET_CONNECTION_1_ENABLED", "true");
        s.put("WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT,NVDA");
        return Settings.of(s);
    }

    @Test
    void aStuckListenerLosesItsOldestTicksCountedWhileTheFeedKeepsDelivering() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong handled = new AtomicLong();
        try (TickStock gateway = TickStock.builder().settings(settings()).listenerCapacity(10)
                .onTick(tick -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    handled.incrementAndGet();
                }).start()) {
            // one tick held by the listener, ten queued: everything beyond is dropped and counted
            await().atMost(PATIENCE).until(() -> gateway.dropped() >= 100);
            // dropped first: the manager counts a tick as delivered before the bus can drop it
            long dropped = gateway.dropped();
            long delivered = gateway.manager().getHealthStatus().ticksDelivered();
            assertThat(delivered).isGreaterThanOrEqualTo(dropped + 1);
            assertThat(gateway.delivered()).isZero();
            release.countDown();
            await().atMost(PATIENCE).until(() -> handled.get() >= 11);
            assertThat(gateway.listenerErrors()).isZero();
        }
    }

    @Test
    void aListenerThatThrowsIsCountedAndGetsTheNextTick() {
        AtomicLong calls = new AtomicLong();
        try (TickStock gateway = TickStock.builder().settings(settings()).onTick(tick -> {
            if (calls.incrementAndGet() % 2 == 1) {
                throw new IllegalStateException("listener bug");
            }
        }).start()) {
            await().atMost(PATIENCE).until(() -> gateway.listenerErrors() >= 5 && gateway.delivered() >= 5);
            assertThat(calls.get()).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void badConfigurationFailsStartWithTheKeyAndAMissingListenerIsRefused() {
        assertThatThrownBy(() -> TickStock.builder()
                .settings(Settings.of(Map.of(GatewayConfig.ROUTING_STRATEGY, "bogus"))).onTick(t -> { }).start())
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(GatewayConfig.ROUTING_STRATEGY));
        assertThatThrownBy(() -> TickStock.builder().settings(Settings.of(Map.of())).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("onTick");
        assertThatThrownBy(() -> TickStock.builder().listenerCapacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listenerCapacity");
    }
}
