package io.tickstock.feed.massive.capture;

import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.feed.massive.MassiveFeedClient;
import io.tickstock.feed.massive.MassiveFeedClientFactory;
import io.tickstock.feed.massive.RecordingListener;
import io.tickstock.emulator.MassiveEmulator;
import io.tickstock.emulator.ReplayMarket;
import io.tickstock.emulator.ReplayOptions;
import io.tickstock.feed.massive.testing.MassiveEmulatorExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Capture a live emulator session, then serve it again with the emulator's replay source. */
class ReplayIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final List<String> TICKERS = List.of("AAPL", "MSFT", "NVDA", "JPM");
    /** A small capture made from the emulator (seed 42, T and Q of four tickers), shipped as a fixture. */
    static final Path FIXTURE = fixture();

    /** The shipped capture, served as fast as the client reads: the JUnit-fixture use of replay. */
    @RegisterExtension
    final MassiveEmulatorExtension replayed = new MassiveEmulatorExtension(b -> b.apiKeys("k1")
            .replay(ReplayOptions.of(FIXTURE).speed(0)));

    @TempDir
    Path dir;
    private MassiveEmulator live;
    private MassiveEmulator replay;
    private final List<MassiveFeedClientFactory> factories = new java.util.ArrayList<>();

    private static Path fixture() {
        try {
            return Path.of(ReplayIT.class.getResource("/captures/emulator-4-tickers").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        factories.forEach(MassiveFeedClientFactory::close);
        if (live != null) {
            live.stop();
        }
        if (replay != null) {
            replay.stop();
        }
    }

    private MassiveFeedClient connect(String url, RecordingListener listener, FrameCapture capture) throws Exception {
        MassiveFeedClientFactory f = new MassiveFeedClientFactory(MassiveConfig.defaults(url, "k1")
                .withChannels(List.of(EventType.T, EventType.Q)));
        if (capture != null) {
            f.capture(capture);
        }
        factories.add(f);
        MassiveFeedClient c = f.create("connection_1", listener);
        c.subscribe(TICKERS);
        c.connect().get(30, TimeUnit.SECONDS);
        return c;
    }

    /** What a client makes of the events: type, ticker, sequence, price, size, exchange time, in order. */
    private static List<String> decoded(RecordingListener l) {
        return l.kept().stream().map(ReplayIT::describe).toList();
    }

    private static String describe(MarketEvent e) {
        return e.eventType() + " " + e.symbol() + " q=" + e.sequence() + " p=" + e.price() + " v=" + e.volume()
                + " t=" + e.timestamp();
    }

    @Test
    void aReplayedCaptureGivesAClientTheSameEventsInTheSameOrderAtTenTimesTheSpeed() throws Exception {
        live = MassiveEmulator.builder().apiKeys("k1").eventsPerSecond(2_000).batchSize(20).build().start();
        FrameCapture capture = FrameCapture.start(CaptureConfig.of(dir), Clock.systemUTC());
        RecordingListener original = new RecordingListener(100_000);
        connect(live.url(), original, capture);
        await().atMost(PATIENCE).until(() -> original.events() >= 3_000);
        live.pauseStreaming();
        var session = live.sessionFor("connection_1");
        await().atMost(PATIENCE).until(() -> original.events() == session.eventsSent());
        factories.get(0).close();
        capture.close();
        List<MarketEvent> kept = original.kept();
        long spanMillis = kept.get(kept.size() - 1).receivedAt() - kept.get(0).receivedAt();

        replay = MassiveEmulator.builder().apiKeys("k1").replay(ReplayOptions.of(dir).speed(10)).build().start();
        RecordingListener again = new RecordingListener(100_000);
        connect(replay.url(), again, null);
        ReplayMarket source = replay.replay().orElseThrow();
        await().atMost(PATIENCE).until(source::finished);
        await().atMost(PATIENCE).until(() -> again.events() == original.events());
        List<MarketEvent> replayedEvents = again.kept();
        long replaySpan = replayedEvents.get(replayedEvents.size() - 1).receivedAt() - replayedEvents.get(0).receivedAt();

        assertThat(decoded(again)).isEqualTo(decoded(original));
        for (String t : TICKERS) {
            assertThat(source.eventsSent(t, EventType.T) + source.eventsSent(t, EventType.Q))
                    .isEqualTo(session.eventsSent(t));
        }
        assertThat(replaySpan).as("paced at 10x, not faster").isGreaterThanOrEqualTo(spanMillis / 10 * 8 / 10);
        assertThat(source.duplicatesSkipped()).isZero();
        assertThat(source.unreadable()).isZero();
    }

    @Test
    void theShippedFixtureReplaysEveryEventItHolds() throws Exception {
        Map<String, Long> inFile = CaptureIT.eventsPerTicker(FIXTURE);
        assertThat(inFile.keySet()).containsExactlyInAnyOrderElementsOf(TICKERS);
        RecordingListener l = new RecordingListener();
        connect(replayed.url(), l, null);
        ReplayMarket source = replayed.emulator().replay().orElseThrow();
        await().atMost(PATIENCE).until(source::finished);
        long total = inFile.values().stream().mapToLong(Long::longValue).sum();
        await().atMost(PATIENCE).until(() -> l.events() == total);
        for (String t : TICKERS) {
            assertThat(l.events(t)).as(t).isEqualTo(inFile.get(t));
        }
    }
}
