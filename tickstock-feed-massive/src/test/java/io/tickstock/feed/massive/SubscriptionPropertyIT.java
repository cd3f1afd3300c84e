package io.tickstock.feed.massive;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.emulator.EmulatorSession;
import io.tickstock.emulator.FaultSwitches;
import io.tickstock.emulator.MassiveEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Random interleavings of subscribe, unsubscribe, move and connection drops across the manager
 * and three real Massive clients, then quiescence: each connection's assignment must equal exactly
 * what the emulator has subscribed on that connection, and what the client's ledger holds.
 */
class SubscriptionPropertyIT {
    private static final List<String> IDS = List.of("connection_1", "connection_2", "connection_3");
    private static final List<String> POOL = IntStream.range(0, 24).mapToObj(i -> String.format("PX%02d", i)).toList();
    private static final int OPERATIONS = 400;
    private MassiveEmulator emulator;
    private MassiveFeedClientFactory factory;
    private MultiConnectionManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        if (factory != null) {
            factory.close();
        }
        if (emulator != null) {
            emulator.stop();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 42L, 777L, 20261201L})
    void assignmentEqualsWhatTheServerHasSubscribedAfterRandomInterleavings(long seed) {
        start();
        Random random = new Random(seed);
        List<String> log = new ArrayList<>(); // printed on failure: the seed alone reproduces it
        for (int i = 0; i < OPERATIONS; i++) {
            List<String> some = some(random);
            String to = IDS.get(random.nextInt(IDS.size()));
            int op = random.nextInt(100);
            if (op < 35) {
                log.add("subscribe " + some);
                manager.subscribe(some);
            } else if (op < 50) {
                log.add("subscribe " + some + " on " + to);
                manager.subscribe(some, to);
            } else if (op < 75) {
                log.add("unsubscribe " + some);
                manager.unsubscribe(some);
            } else if (op < 95) {
                log.add("move " + some + " to " + to);
                manager.moveTickers(some, to);
            } else {
                log.add("drop " + to);
                emulator.faults().dropAbruptly(FaultSwitches.userAgentContains(to));
            }
            if (random.nextInt(40) == 0) {
                // now and then let every connection come back, so that later changes meet live sessions
                // as well as reconnecting ones
                log.add("settle");
                await().atMost(Duration.ofSeconds(20)).until(() -> IDS.stream()
                        .map(emulator::sessionFor).allMatch(x -> x != null && x.isAuthenticated()));
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String id : IDS) {
                EmulatorSession s = emulator.sessionFor(id);
                assertThat(s).as("%s has an open session; ops %s", id, log).isNotNull();
                assertThat(s.isAuthenticated()).isTrue();
                assertThat(s.subscribedTickers()).as("%s on the server; ops %s", id, log)
                        .isEqualTo(manager.getConnectionTickers(id));
            }
        });
        for (String id : IDS) {
            MassiveFeedClient client = factory.clients().stream().filter(c -> c.connectionId().equals(id))
                    .findFirst().orElseThrow();
            assertThat(client.subscriptions()).as("%s ledger", id).isEqualTo(manager.getConnectionTickers(id));
        }
    }

    private static List<String> some(Random random) {
        int n = 1 + random.nextInt(4);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(POOL.get(random.nextInt(POOL.size())));
        }
        return out;
    }

    private void start() {
        emulator = MassiveEmulator.builder().apiKeys("key").eventsPerSecond(500).maxConnectionsPerKey(3).build()
                .start();
        Map<String, String> s = new HashMap<>();
        s.put("USE_MULTI_CONNECTION", "true");
        s.put("WEBSOCKET_CONNECT_TIMEOUT", "30s");
        s.put("WEBSOCKET_FAILOVER_DELAY", "60s"); // drops are reconnected, not failed over
        for (int n = 1; n <= 3; n++) {
            s.put("WEBSOCKET_CONNECTION_" + n + "_ENABLED", "true");
            s.put("WEBSOCKET_CONNECTION_" + n + "_SYMBOLS", POOL.get(n - 1));
        }
        s.put(MassiveConfig.URL, emulator.url());
        s.put(MassiveConfig.API_KEY, "key");
        s.put(MassiveConfig.CHANNELS, "T");
        s.put(MassiveConfig.RECONNECT_DELAY, "50ms");
        s.put(MassiveConfig.RECONNECT_MAX_DELAY, "200ms");
        Settings settings = Settings.of(s);
        factory = new MassiveFeedClientFactory(MassiveConfig.from(settings));
        manager = MultiConnectionManager.builder(GatewayConfig.from(settings)).feedClients(factory)
                .sink(e -> { }).build();
        assertThat(manager.connect()).isTrue();
    }
}
