package io.tickstock.feed.massive;

import io.tickstock.core.config.Settings;
import io.tickstock.core.event.EventType;
import io.tickstock.core.testing.ManualTime;
import io.tickstock.emulator.EmulatorSession;
import io.tickstock.emulator.FaultSwitches;
import io.tickstock.emulator.MassiveEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tickstock.core.connection.ConnectionStatus.CONNECTED;
import static io.tickstock.core.connection.ConnectionStatus.CONNECTING;
import static io.tickstock.core.connection.ConnectionStatus.ERROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The client against the emulator's faults: bad key, eviction, bad frames, silence, auth timeout; and its
 * timers (backoff, pings) on a manual clock.
 */
class FeedFaultsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
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

    private MassiveConfig config(String key, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(extra);
        m.put(MassiveConfig.URL, emulator.url());
        m.put(MassiveConfig.API_KEY, key);
        m.putIfAbsent(MassiveConfig.CHANNELS, "T");
        m.putIfAbsent(MassiveConfig.RECONNECT_DELAY, "200ms");
        m.putIfAbsent(MassiveConfig.RECONNECT_MAX_DELAY, "1s");
        return MassiveConfig.from(Settings.of(m));
    }

    @Test
    void badKeyReportsTheServerMessageAtOnceAndDoesNotStormTheServer() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("good").build().start();
        try (MassiveFeedClientFactory warmUp = new MassiveFeedClientFactory(config("good", Map.of()))) {
            // load and warm the classes first, so that the 1 s below measures the protocol, not the JVM
            warmUp.create("warm_up", new RecordingListener()).connect().get(30, TimeUnit.SECONDS);
        }
        await().atMost(PATIENCE).until(() -> emulator.sessions().isEmpty());
        long sessionsBefore = emulator.sessionsOpened();
        ManualTime time = new ManualTime(); // the client's timers move only when this test says so
        factory = new MassiveFeedClientFactory(config("wrong", Map.of()), 1, time.resources());
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.connect().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("authentication failed");
        RecordingListener.StatusReport error = listener.statuses().get(listener.statuses().size() - 1);
        assertThat(error.status()).isEqualTo(ERROR);
        assertThat(error.message()).contains("authentication failed").doesNotContain("wrong");
        assertThat(Duration.ofNanos(error.atNanos() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(listener.statusSequence()).containsExactly(CONNECTING, ERROR);

        // halted: no retry, no timer left (the session's own timers are cancelled when Netty delivers
        // the closed channel's inactivity, a task the loop may run after the failed connect is reported)
        await().atMost(PATIENCE).until(() -> time.queued() == 0);
        client.loopIdle().get(30, TimeUnit.SECONDS);
        assertThat(time.queued()).isZero();
        time.advance(Duration.ofHours(1)); // an hour later nothing has come back to the server
        client.loopIdle().get(30, TimeUnit.SECONDS);
        assertThat(emulator.sessionsOpened() - sessionsBefore).isEqualTo(1);
        assertThat(emulator.authFailures()).isEqualTo(emulator.sessionsOpened() - sessionsBefore);
        assertThat(client.status()).isEqualTo(ERROR);
    }

    @Test
    void aSubscribeWaitingForItsAckFailsWhenTheClientHalts() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("right").build().start();
        factory = new MassiveFeedClientFactory(config("wrong", Map.of()));
        MassiveFeedClient client = factory.create("connection_1", new RecordingListener());
        CompletableFuture<Void> sub = client.subscribe(List.of("AAPL"));
        assertThatThrownBy(() -> client.connect().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> sub.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MassiveFeedException.class)
                .hasMessageContaining("authentication failed");
        assertThat(client.subscriptions()).containsExactly("AAPL"); // kept for an operator's reconnect
    }

    @Test
    void aSubscribeWaitingForItsAckFailsWhenTheClientGivesUp() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").build().start();
        String url = emulator.url();
        emulator.stop(); // nothing listens any more
        emulator = null;
        factory = new MassiveFeedClientFactory(MassiveConfig.from(Settings.of(Map.of(MassiveConfig.URL, url,
                MassiveConfig.API_KEY, "k", MassiveConfig.CHANNELS, "T", MassiveConfig.RECONNECT_DELAY, "50ms",
                MassiveConfig.RECONNECT_MAX_DELAY, "100ms", MassiveConfig.MAX_RETRIES, "2"))));
        MassiveFeedClient client = factory.create("connection_1", new RecordingListener());
        CompletableFuture<Void> sub = client.subscribe(List.of("AAPL"));
        client.connect();
        assertThatThrownBy(() -> sub.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MassiveFeedException.class)
                .hasMessageContaining("gave up after");
        assertThat(client.status()).isEqualTo(ERROR);
    }

    @Test
    void aSubscribeWaitingForTheFirstSessionFailsOnDisconnect() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").build().start();
        factory = new MassiveFeedClientFactory(config("k", Map.of()));
        MassiveFeedClient client = factory.create("connection_1", new RecordingListener());
        CompletableFuture<Void> sub = client.subscribe(List.of("AAPL"));
        client.disconnect().get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> sub.get(5, TimeUnit.SECONDS))
                .isInstanceOf(java.util.concurrent.CancellationException.class);
    }

    @Test
    void aFourthClientWithTheSameKeyEvictsTheOldestWithoutAnEvictionLoop() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").maxConnectionsPerKey(3).build().start();
        ManualTime time = new ManualTime(); // the eviction wait passes only when this test says so
        factory = new MassiveFeedClientFactory(config("k", Map.of(MassiveConfig.EVICTION_BACKOFF, "60s")), 1,
                time.resources());
        RecordingListener[] listeners = new RecordingListener[4];
        MassiveFeedClient[] clients = new MassiveFeedClient[4];
        for (int i = 0; i < 3; i++) {
            listeners[i] = new RecordingListener();
            clients[i] = factory.create("connection_" + (i + 1), listeners[i]);
            clients[i].subscribe(List.of("AAPL"));
            clients[i].connect().get(30, TimeUnit.SECONDS);
        }
        listeners[3] = new RecordingListener();
        clients[3] = factory.create("intruder", listeners[3]);
        clients[3].connect().get(30, TimeUnit.SECONDS);

        await().atMost(PATIENCE).until(() -> clients[0].status() == ERROR);
        assertThat(clients[0].statusMessage()).contains("another client is using this API key's connection slot")
                .contains("max_connections");
        assertThat(clients[0].stats().evictions()).isEqualTo(1);

        time.advance(Duration.ofMillis(59_999)); // just short of the eviction wait: the evicted client stays out
        for (MassiveFeedClient c : clients) {
            c.loopIdle().get(30, TimeUnit.SECONDS);
        }
        assertThat(emulator.evictions()).isEqualTo(1);
        assertThat(emulator.sessionsOpened()).isEqualTo(4);
        assertThat(clients[0].status()).isEqualTo(ERROR);
        assertThat(clients[1].status()).isEqualTo(CONNECTED);
        assertThat(clients[2].status()).isEqualTo(CONNECTED);
        assertThat(clients[3].status()).isEqualTo(CONNECTED);
        assertThat(listeners[0].statusSequence()).containsExactly(CONNECTING, CONNECTED, ERROR);
        assertThat(listeners[3].statusSequence()).containsExactly(CONNECTING, CONNECTED);
    }

    @Test
    void malformedUnknownAndHugeFramesAreCountedAndTheStreamGoesOn() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(2_000).build().start();
        factory = new MassiveFeedClientFactory(config("k", Map.of()));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.subscribe(List.of("AAPL", "MSFT"));
        client.connect().get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> listener.events() > 100);

        assertThat(emulator.faults().injectMalformed(FaultSwitches.all())).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> client.stats().malformedFrames() == 1);
        assertThat(emulator.faults().injectUnknownEvent(FaultSwitches.all())).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> client.stats().unknownEvents() == 1);
        assertThat(emulator.faults().injectHugeFrame(FaultSwitches.all(), 900 * 1024)).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> client.stats().unknownEvents() == 2);
        assertThat(emulator.faults().injectInvalidValues(FaultSwitches.all())).isEqualTo(1);
        int invalid = FaultSwitches.INVALID_VALUE_EVENTS.size();
        await().atMost(PATIENCE).until(() -> client.stats().invalidEvents() == invalid);

        long before = listener.events();
        await().atMost(PATIENCE).until(() -> listener.events() > before + 100);
        emulator.pauseStreaming();
        EmulatorSession session = emulator.sessionFor("connection_1");
        await().atMost(PATIENCE).until(() -> listener.events() == session.eventsSent());

        MassiveFeedStats stats = client.stats();
        assertThat(stats.malformedFrames()).isEqualTo(1);
        assertThat(stats.unknownEvents()).isEqualTo(2);
        assertThat(stats.invalidEvents()).isEqualTo(invalid);
        assertThat(stats.sessions()).isEqualTo(1);
        assertThat(stats.events()).isEqualTo(session.eventsSent());
        assertThat(client.status()).isEqualTo(CONNECTED);
        assertThat(listener.statusSequence()).containsExactly(CONNECTING, CONNECTED);
        assertThat(listener.errors()).anySatisfy(e -> assertThat(e).contains("malformed"));
    }

    @Test
    void anAbruptDropReconnectsAndResubscribesTheWholeSet() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(2_000).build().start();
        factory = new MassiveFeedClientFactory(config("k", Map.of(MassiveConfig.CHANNELS, "T,Q")));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);
        List<String> tickers = List.of("AAPL", "MSFT", "NVDA", "TSLA");
        client.subscribe(tickers).thenRun(() -> { });
        client.connect().get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> emulator.sessionFor("connection_1").subscriptions().size() == 8);
        EmulatorSession first = emulator.sessionFor("connection_1");

        assertThat(emulator.faults().dropAbruptly(FaultSwitches.id(first.id()))).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> {
            EmulatorSession s = emulator.sessionFor("connection_1");
            return s != null && s.id() != first.id() && s.subscriptions().size() == 8;
        });
        EmulatorSession second = emulator.sessionFor("connection_1");
        assertThat(second.subscribedTickers()).containsExactlyInAnyOrderElementsOf(tickers);
        await().atMost(PATIENCE).until(() -> client.status() == CONNECTED);
        assertThat(listener.statusSequence()).containsExactly(CONNECTING, CONNECTED, ERROR, CONNECTING, CONNECTED);
        assertThat(listener.statuses().get(2).message()).startsWith("connection lost");
        assertThat(client.stats().reconnects()).isEqualTo(1);
        long before = listener.events();
        await().atMost(PATIENCE).until(() -> listener.events() > before + 100);
    }

    @Test
    void aSilentConnectionIsRecycled() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(0).build().start();
        emulator.faults().pongDelay(Duration.ofSeconds(30)); // pongs never come in time, and no data flows
        factory = new MassiveFeedClientFactory(config("k", Map.of(
                MassiveConfig.PING_INTERVAL, "500ms", MassiveConfig.SILENCE_TIMEOUT, "1500ms")));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.connect().get(30, TimeUnit.SECONDS);

        await().atMost(PATIENCE).until(() -> client.stats().silenceRecycles() >= 1 && client.status() == CONNECTED
                && client.stats().sessions() >= 2);
        assertThat(listener.statuses()).anySatisfy(r -> {
            assertThat(r.status()).isEqualTo(ERROR);
            assertThat(r.message()).contains("no data received");
        });
    }

    @Test
    void anyInboundFrameCountsAsLifeEvenWhenPongsAreLate() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(500).build().start();
        emulator.faults().pongDelay(Duration.ofSeconds(30));
        factory = new MassiveFeedClientFactory(config("k", Map.of(
                MassiveConfig.PING_INTERVAL, "300ms", MassiveConfig.SILENCE_TIMEOUT, "2s")));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.subscribe(List.of("AAPL"));
        client.connect().get(30, TimeUnit.SECONDS);

        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> client.status() == CONNECTED && client.stats().silenceRecycles() == 0);
        assertThat(client.stats().pingsSent()).isGreaterThanOrEqualTo(8); // none answered in time, yet no recycle
    }

    @Test
    void authTimeoutIsATransientErrorThatIsRetried() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").authTimeout(Duration.ofMillis(300)).build().start();
        emulator.faults().swallowAuth(true);
        factory = new MassiveFeedClientFactory(config("k", Map.of()));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.connect();

        await().atMost(PATIENCE).until(() -> listener.statuses().stream()
                .anyMatch(r -> r.status() == ERROR && r.message().contains("auth_timeout")));
        emulator.faults().swallowAuth(false);
        await().atMost(PATIENCE).until(() -> client.status() == CONNECTED);
        assertThat(client.stats().sessions()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aSlowConsumerIsKilledByTheServerAndComesBack() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(50_000).build().start();
        emulator.faults().slowConsumerKillBytes(512 * 1024);
        factory = new MassiveFeedClientFactory(config("k", Map.of(MassiveConfig.CHANNELS, "T,Q")));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean blockedOnce = new java.util.concurrent.atomic.AtomicBoolean();
        RecordingListener recorder = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", new io.tickstock.core.connection.FeedListener() {
            @Override
            public void onEvent(io.tickstock.core.event.MarketEvent event) {
                if (blockedOnce.compareAndSet(false, true)) {
                    try { // a consumer that stops reading: the server's backlog grows until it gives up
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                recorder.onEvent(event);
            }

            @Override
            public void onStatus(io.tickstock.core.connection.ConnectionStatus status, String message) {
                recorder.onStatus(status, message);
            }

            @Override
            public void onError(String message) {
                recorder.onError(message);
            }
        });
        client.subscribe(List.of("AAPL", "MSFT", "NVDA", "TSLA", "AMZN"));
        client.connect().get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(60)).until(() -> emulator.slowConsumerKills() == 1);
        assertThat(emulator.allSessions().get(0).closeReason()).startsWith("slow consumer");
        release.countDown();
        await().atMost(PATIENCE).until(() -> client.stats().sessions() == 2 && client.status() == CONNECTED);
        assertThat(recorder.statuses()).anySatisfy(r -> {
            assertThat(r.status()).isEqualTo(ERROR);
            assertThat(r.message()).startsWith("connection lost");
        });
    }

    @Test
    void aCleanCloseByTheServerIsReportedWithItsCodeAndRetried() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").build().start();
        factory = new MassiveFeedClientFactory(config("k", Map.of()));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.connect().get(30, TimeUnit.SECONDS);

        assertThat(emulator.faults().closeCleanly(FaultSwitches.all(), 1001, "going away")).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> client.stats().sessions() == 2 && client.status() == CONNECTED);
        assertThat(listener.statuses().get(2).message()).isEqualTo(
                "connection lost: server closed the connection (1001 going away)");
    }

    @Test
    void aFrameAboveTheLimitClosesTheConnectionWhichIsReopened() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").compression(false).build().start();
        factory = new MassiveFeedClientFactory(config("k", Map.of(MassiveConfig.MAX_FRAME_BYTES, "65536")));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.connect().get(30, TimeUnit.SECONDS);

        assertThat(emulator.faults().injectHugeFrame(FaultSwitches.all(), 70_000)).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> client.stats().sessions() == 2 && client.status() == CONNECTED);
        assertThat(listener.statuses().get(2).status()).isEqualTo(ERROR);
        assertThat(listener.statuses().get(2).message()).contains("frame length");
        assertThat(client.stats().unknownEvents()).isZero();
    }

    // ---- the client's timers wait on the shared resources' clock: a manual clock decides when they fire

    @Test
    void aDroppedConnectionReconnectsExactlyWhenItsBackoffHasPassedOnTheResourcesClock() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(100).build().start();
        // base = max: the backoff is exactly 10 min, whatever the jitter draws (far beyond the test's real time)
        ManualTime time = new ManualTime();
        factory = new MassiveFeedClientFactory(config("k", Map.of(MassiveConfig.RECONNECT_DELAY, "10m",
                MassiveConfig.RECONNECT_MAX_DELAY, "10m")), 1, time.resources());
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
        ManualTime time = new ManualTime();
        factory = new MassiveFeedClientFactory(config("k", Map.of(MassiveConfig.PING_INTERVAL, "10s")), 1,
                time.resources());
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
