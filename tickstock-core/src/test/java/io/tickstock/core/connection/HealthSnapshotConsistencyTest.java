package io.tickstock.core.connection;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.health.HealthStatus;
import io.tickstock.core.testing.InMemoryFeed;
import io.tickstock.core.universe.MapUniverseSource;
import io.tickstock.core.universe.UniverseResolver;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** One health snapshot is consistent with itself while events keep arriving on another thread. */
class HealthSnapshotConsistencyTest {

    @Test
    void deliveredPlusDuplicatesNeverExceedReceivedWhileTicksFlow() throws Exception {
        InMemoryFeed feed = new InMemoryFeed();
        try (MultiConnectionManager m = MultiConnectionManager.builder(GatewayConfig.from(Settings.of(Map.of(
                        "USE_MULTI_CONNECTION", "true",
                        "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT",
                        "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "NVDA",
                        "WEBSOCKET_REDUNDANT_SYMBOLS", "AAPL"))))
                .universes(new UniverseResolver(List.of(new MapUniverseSource("test", Map.of()))))
                .feedClients(feed).sink(e -> { }).build()) {
            m.connect();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread producer = new Thread(() -> {
                while (running.get()) {
                    feed.trade("AAPL", 100); // on two connections: one delivered, one duplicate
                    feed.trade("NVDA", 200);
                }
            }, "producer");
            producer.start();
            int snapshots = 0;
            long deadline = System.nanoTime() + 1_500_000_000L;
            try {
                while (System.nanoTime() < deadline || snapshots < 2_000) {
                    HealthStatus h = m.getHealthStatus();
                    assertThat(h.ticksDelivered() + h.duplicatesDropped()).as("snapshot %d", snapshots)
                            .isLessThanOrEqualTo(h.totalTicksReceived());
                    snapshots++;
                }
            } finally {
                running.set(false);
                producer.join();
            }
            HealthStatus quiet = m.getHealthStatus();
            assertThat(quiet.ticksDelivered() + quiet.duplicatesDropped()).isEqualTo(quiet.totalTicksReceived());
            assertThat(quiet.duplicatesDropped()).isPositive();
        }
    }
}
