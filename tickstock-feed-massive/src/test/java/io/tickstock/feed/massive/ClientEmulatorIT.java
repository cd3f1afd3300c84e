package io.tickstock.feed.massive;

import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;
import io.tickstock.emulator.EmulatorSession;
import io.tickstock.emulator.MassiveEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.tickstock.core.connection.ConnectionStatus.CONNECTED;
import static io.tickstock.core.connection.ConnectionStatus.CONNECTING;
import static io.tickstock.core.connection.ConnectionStatus.DISCONNECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One client against the emulator over a real socket. */
class ClientEmulatorIT {
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

    private MassiveConfig config(String key, EventType... channels) {
        return MassiveConfig.defaults(emulator.url(), key).withChannels(List.of(channels));
    }

    @Test
    void handshakeSubscribeAndDecodeDeliverEveryEventSent() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k1").eventsPerSecond(4_000).batchSize(25).build().start();
        factory = new MassiveFeedClientFactory(config("k1", EventType.T, EventType.Q, EventType.A));
        RecordingListener listener = new RecordingListener(1_000);
        MassiveFeedClient client = factory.create("connection_1", listener);

        client.subscribe(List.of("AAPL", "MSFT", "NVDA"));
        client.connect().get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> listener.events() >= 2_000);
        emulator.pauseStreaming();

        EmulatorSession session = emulator.sessionFor("connection_1");
        assertThat(session.subscriptions()).containsExactlyInAnyOrder(
                "T.AAPL", "T.MSFT", "T.NVDA", "Q.AAPL", "Q.MSFT", "Q.NVDA", "A.AAPL", "A.MSFT", "A.NVDA");
        await().atMost(PATIENCE).until(() -> listener.events() == session.eventsSent());
        assertThat(listener.events()).isEqualTo(session.eventsSent());
        for (String t : List.of("AAPL", "MSFT", "NVDA")) {
            assertThat(listener.events(t)).isEqualTo(session.eventsSent(t)).isPositive();
        }
        assertThat(listener.statusSequence()).containsExactly(CONNECTING, CONNECTED);
        assertThat(listener.errors()).isEmpty();
        MassiveFeedStats stats = client.stats();
        assertThat(stats.events()).isEqualTo(session.eventsSent());
        assertThat(stats.malformedFrames()).isZero();
        assertThat(stats.unknownEvents()).isZero();
        assertThat(stats.unknownFields()).isZero();

        List<MarketEvent> kept = listener.kept();
        assertThat(kept).allSatisfy(e -> assertThat(e.connectionId()).isEqualTo("connection_1"));
        assertThat(kept).anySatisfy(e -> assertThat(e).isInstanceOf(Trade.class));
        assertThat(kept).anySatisfy(e -> assertThat(e).isInstanceOf(Quote.class));
        Trade trade = kept.stream().filter(Trade.class::isInstance).map(Trade.class::cast).findFirst().orElseThrow();
        assertThat(trade.price()).isPositive();
        assertThat(trade.tradeId()).isNotBlank();
        assertThat(trade.sequence()).isPositive();

        client.disconnect().get(30, TimeUnit.SECONDS);
        assertThat(listener.lastStatus()).isEqualTo(DISCONNECTED);
        await().atMost(PATIENCE).until(() -> emulator.sessions().isEmpty());
    }

    @Test
    void runTimeSubscribeAndUnsubscribeChangeWhatArrives() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k1").eventsPerSecond(2_000).build().start();
        factory = new MassiveFeedClientFactory(config("k1", EventType.T));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.subscribe(List.of("AAPL")).thenRun(() -> { });
        client.connect().get(30, TimeUnit.SECONDS);

        client.subscribe(List.of("TSLA")).get(30, TimeUnit.SECONDS);
        EmulatorSession session = emulator.sessionFor("connection_1");
        assertThat(session.subscriptions()).containsExactlyInAnyOrder("T.AAPL", "T.TSLA");
        await().atMost(PATIENCE).until(() -> listener.events("TSLA") > 50);

        client.unsubscribe(List.of("AAPL")).get(30, TimeUnit.SECONDS);
        assertThat(session.subscriptions()).containsExactly("T.TSLA");
        assertThat(client.subscriptions()).isEqualTo(Set.of("TSLA"));
        emulator.pauseStreaming();
        await().atMost(PATIENCE).until(() -> listener.events() == session.eventsSent());
        long aaplAfterUnsubscribe = session.eventsSent("AAPL");
        emulator.resumeStreaming();
        await().atMost(PATIENCE).until(() -> session.eventsSent("TSLA") > listener.events("TSLA") + 200
                || listener.events("TSLA") > 500);
        emulator.pauseStreaming();
        await().atMost(PATIENCE).until(() -> listener.events() == session.eventsSent());
        assertThat(session.eventsSent("AAPL")).isEqualTo(aaplAfterUnsubscribe);
        assertThat(listener.events("AAPL")).isEqualTo(aaplAfterUnsubscribe);
        assertThat(listener.events("TSLA")).isEqualTo(session.eventsSent("TSLA"));
        assertThat(client.status()).isEqualTo(ConnectionStatus.CONNECTED);
    }

    @Test
    void wildcardsStreamAlongsideExplicitTickersAndDeflateIsNegotiated() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k1").eventsPerSecond(3_000)
                .wildcardTickers(List.of("AAPL", "MSFT", "IBM")).build().start();
        factory = new MassiveFeedClientFactory(config("k1", EventType.Q));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.subscribe(List.of("*", "JPM", "ZZZZ"));
        client.connect().get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> listener.events("IBM") > 10 && listener.events("JPM") > 10);
        EmulatorSession session = emulator.sessionFor("connection_1");
        // ZZZZ is no listed ticker: acknowledged like any other, and silent, as on the real feed
        assertThat(session.subscriptions()).containsExactlyInAnyOrder("Q.*", "Q.JPM", "Q.ZZZZ");
        assertThat(session.isCompressed()).isTrue();
        emulator.pauseStreaming();
        await().atMost(PATIENCE).until(() -> listener.events() == session.eventsSent());
        assertThat(session.eventsSentPerTicker().keySet()).containsExactlyInAnyOrder("AAPL", "MSFT", "IBM", "JPM");
        assertThat(listener.events("ZZZZ")).isZero();
    }

    @Test
    void withoutCompressionFramesArePlain() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k1").compression(false).build().start();
        factory = new MassiveFeedClientFactory(config("k1", EventType.T));
        MassiveFeedClient client = factory.create("connection_1", new RecordingListener());
        client.connect().get(30, TimeUnit.SECONDS);
        assertThat(emulator.sessionFor("connection_1").isCompressed()).isFalse();
    }

    @Test
    void aListenerThatThrowsDoesNotCostTheConnection() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k1").eventsPerSecond(2_000).build().start();
        factory = new MassiveFeedClientFactory(config("k1", EventType.T));
        RecordingListener recorder = new RecordingListener();
        java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
        MassiveFeedClient client = factory.create("connection_1", new ForwardingListener(recorder) {
            @Override
            public void onEvent(MarketEvent event) {
                if (calls.incrementAndGet() % 10 == 0) {
                    throw new IllegalStateException("consumer bug");
                }
                recorder.onEvent(event);
            }
        });
        client.subscribe(List.of("AAPL"));
        client.connect().get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> calls.get() > 500);
        emulator.pauseStreaming();
        EmulatorSession session = emulator.sessionFor("connection_1");
        await().atMost(PATIENCE).until(() -> calls.get() == session.eventsSent());
        assertThat(client.stats().listenerErrors()).isEqualTo(session.eventsSent() / 10);
        assertThat(client.stats().malformedFrames()).isZero();
        assertThat(client.stats().sessions()).isEqualTo(1);
        assertThat(recorder.errors()).anySatisfy(e -> assertThat(e).contains("event listener failed"));
    }

    @Test
    void aChannelTheEmulatorDoesNotCarryIsAcknowledgedAndSilent() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k1").eventsPerSecond(2_000).eventTypes(EventType.T)
                .build().start();
        factory = new MassiveFeedClientFactory(config("k1", EventType.T, EventType.Q));
        RecordingListener listener = new RecordingListener(100_000);
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.subscribe(List.of("AAPL")).thenRun(() -> { });
        client.connect().get(30, TimeUnit.SECONDS);
        client.subscribe(List.of("MSFT")).get(30, TimeUnit.SECONDS); // both Q params acknowledged too
        await().atMost(PATIENCE).until(() -> listener.events("MSFT") > 20);
        emulator.pauseStreaming();
        EmulatorSession session = emulator.sessionFor("connection_1");
        await().atMost(PATIENCE).until(() -> listener.events() == session.eventsSent());
        assertThat(session.subscriptions()).contains("Q.AAPL", "Q.MSFT");
        assertThat(listener.kept()).isNotEmpty().allSatisfy(e -> assertThat(e.eventType()).isEqualTo(EventType.T));
    }
}
