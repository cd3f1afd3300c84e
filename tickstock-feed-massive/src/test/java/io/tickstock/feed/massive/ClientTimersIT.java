package io.tickstock.feed.massive;

import io.tickstock.core.config.Settings;
import io.tickstock.core.testing.ManualTime;
import io.tickstock.feed.massive.emulator.EmulatorSession;
import io.tickstock.feed.massive.emulator.FaultSwitches;
import io.tickstock.feed.massive.emulator.MassiveEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tickstock.core.connection.ConnectionStatus.CONNECTED;
import static io.tickstock.core.connection.ConnectionStatus.CONNECTING;
import static io.tickstock.core.connection.ConnectionStatus.ERROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's timers (reconnect backoff, pings) wait on the shared resources' clock: a manual clock
 * decides exactly when they fire, with no real-time waiting for the time itself.
 */
class ClientTimersIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final ManualTime time = new ManualTime();
    private MassiveEmulator emulator;
    private MassiveFeedClientFactory factory;

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.close();
        }
        if (emulator != null) {
            emulator.stop();
        }
    }

    private MassiveFeedClientFactory factory(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(extra);
        m.put(MassiveConfig.URL, emulator.url());
        m.put(MassiveConfig.API_KEY, "k");
        m.putIfAbsent(MassiveConfig.CHANNELS, "T");
        return new MassiveFeedClientFactory(MassiveConfig.from(Settings.of(m)), 1, time.resources());
    }

    @Test
    void aDroppedConnectionReconnectsExactlyWhenItsBackoffHasPassedOnTheResourcesClock() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(100).build().start();
        // base = max: the backoff is exactly 10 min, whatever the jitter draws (far beyond the test's real time)
        factory = factory(Map.of(MassiveConfig.RECONNECT_DELAY, "10m", MassiveConfig.RECONNECT_MAX_DELAY, "10m"));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.subscribe(List.of("AAPL"));
        client.connect().get(30, TimeUnit.SECONDS);
        EmulatorSession first = emulator.sessionFor("connection_1");

        assertThat(emulator.faults().dropAbruptly(FaultSwitches.id(first.id()))).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> client.status() == ERROR);
        time.advance(Duration.ofMillis(599_999));
        client.loopIdle().get(30, TimeUnit.SECONDS); // anything that fired has run on the loop
        assertThat(client.status()).isEqualTo(ERROR);
        assertThat(emulator.sessionsOpened()).isEqualTo(1);

        time.advance(Duration.ofMillis(1));
        await().atMost(PATIENCE).until(() -> client.status() == CONNECTED);
        assertThat(emulator.sessionsOpened()).isEqualTo(2);
        assertThat(listener.statusSequence()).containsExactly(CONNECTING, CONNECTED, ERROR, CONNECTING, CONNECTED);
        assertThat(client.stats().reconnects()).isEqualTo(1);
    }

    @Test
    void pingsAreSentOnTheResourcesClockAndStopWithTheSession() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(0).build().start();
        factory = factory(Map.of(MassiveConfig.PING_INTERVAL, "10s"));
        MassiveFeedClient client = factory.create("connection_1", new RecordingListener());
        client.connect().get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> time.queued() > 0); // the pinger, armed at the handshake

        time.advance(Duration.ofSeconds(9));
        client.loopIdle().get(30, TimeUnit.SECONDS);
        assertThat(client.stats().pingsSent()).isZero();
        time.advance(Duration.ofSeconds(21)); // 30 s: three periods
        client.loopIdle().get(30, TimeUnit.SECONDS);
        assertThat(client.stats().pingsSent()).isEqualTo(3);

        client.disconnect().get(30, TimeUnit.SECONDS);
        client.loopIdle().get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> time.queued() == 0); // no timer outlives the session
        time.advance(Duration.ofMinutes(1));
        client.loopIdle().get(30, TimeUnit.SECONDS);
        assertThat(client.stats().pingsSent()).isEqualTo(3);
    }
}
