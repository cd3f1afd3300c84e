package io.tickstock.examples;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.universe.UniverseResolver;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.feed.massive.MassiveFeedClientFactory;
import io.tickstock.feed.massive.testing.MassiveEmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example of "the emulator as a JUnit fixture in your own test": {@link MassiveEmulatorExtension}
 * (in {@code tickstock-feed-massive}'s test-jar) starts a Massive emulator on a free loopback port before
 * each test and stops it after; the code under test ({@link LastPriceBoard}, standing in for yours) gets
 * real ticks over a real WebSocket, with no account and no network.
 */
class EmulatorFixtureExampleIT {
    @RegisterExtension
    final MassiveEmulatorExtension massive = new MassiveEmulatorExtension(b -> b.apiKeys("test-key").eventsPerSecond(300));

    @Test
    void theBoardHoldsALastPriceForEverySubscribedSymbolAndSeesEveryEventSent() {
        Settings settings = Settings.of(Map.of(
                "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT,NVDA",
                "MASSIVE_API_KEY", "test-key",
                "MASSIVE_WEBSOCKET_URL", massive.url(),
                "MASSIVE_SUBSCRIPTION_CHANNELS", "T"));
        LastPriceBoard board = new LastPriceBoard();
        try (MassiveFeedClientFactory clients = new MassiveFeedClientFactory(MassiveConfig.from(settings));
             MultiConnectionManager manager = MultiConnectionManager.builder(GatewayConfig.from(settings))
                     .universes(UniverseResolver.fromSettings(settings)).feedClients(clients).sink(board).build()) {
            assertThat(manager.connect()).isTrue();

            await().atMost(Duration.ofSeconds(10)).until(() -> board.symbols().size() == 3);
            massive.emulator().pauseStreaming(); // the emulator's counts are final once this returns
            long sent = massive.emulator().eventsSent();
            await().atMost(Duration.ofSeconds(10)).until(() -> board.updates() == sent);

            assertThat(board.symbols()).containsExactlyInAnyOrder("AAPL", "MSFT", "NVDA");
            assertThat(board.lastPrice("AAPL")).hasValueSatisfying(p -> assertThat(p).isPositive());
            assertThat(board.lastPrice("KO")).isEmpty();
            assertThat(manager.getHealthStatus().ticksDelivered()).isEqualTo(sent);
        }
    }
}
