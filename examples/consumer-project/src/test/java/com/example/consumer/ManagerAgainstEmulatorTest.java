package com.example.consumer;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.universe.UniverseResolver;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.feed.massive.MassiveFeedClientFactory;
import io.tickstock.feed.massive.testing.MassiveEmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builds a TickStock manager from this project's own code, fed by the Massive emulator. */
class ManagerAgainstEmulatorTest {
    @RegisterExtension
    final MassiveEmulatorExtension massive = new MassiveEmulatorExtension(b -> b.apiKeys("my-test-key").eventsPerSecond(200));

    @Test
    void twoConnectionsDeliverTicksOfTheirOwnTickers() throws Exception {
        Settings settings = Settings.of(Map.of(
                "USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true",
                "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true",
                "WEBSOCKET_CONNECTION_2_SYMBOLS", "KO",
                "MASSIVE_API_KEY", "my-test-key",
                "MASSIVE_WEBSOCKET_URL", massive.url(),
                "MASSIVE_SUBSCRIPTION_CHANNELS", "T"));
        SymbolConnections symbols = new SymbolConnections();
        CountDownLatch allSymbolsSeen = new CountDownLatch(1);

        try (MassiveFeedClientFactory clients = new MassiveFeedClientFactory(MassiveConfig.from(settings));
             MultiConnectionManager manager = MultiConnectionManager.builder(GatewayConfig.from(settings))
                     .universes(UniverseResolver.fromSettings(settings))
                     .feedClients(clients)
                     .sink(symbols.andThen(event -> {
                         if (symbols.snapshot().size() == 3) {
                             allSymbolsSeen.countDown();
                         }
                     }))
                     .build()) {
            assertTrue(manager.connect(), "at least one connection is connected");

            assertTrue(allSymbolsSeen.await(10, TimeUnit.SECONDS), "ticks of AAPL, MSFT and KO arrive: " + symbols.snapshot());
            assertEquals(Map.of("AAPL", "connection_1", "MSFT", "connection_1", "KO", "connection_2"), symbols.snapshot());
            assertEquals(Set.of("AAPL", "MSFT"), manager.getConnectionTickers("connection_1"));
            assertEquals(ConnectionStatus.CONNECTED, manager.getConnection("connection_2").orElseThrow().status());
            assertEquals(2, manager.getHealthStatus().connectedCount());
        }
    }
}
