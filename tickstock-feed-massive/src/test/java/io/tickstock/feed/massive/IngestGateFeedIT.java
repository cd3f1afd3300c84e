package io.tickstock.feed.massive;

import io.tickstock.core.bus.IngestGate;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;
import io.tickstock.core.testing.ManualTime;
import io.tickstock.emulator.EmulatorSession;
import io.tickstock.emulator.MassiveEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.tickstock.core.connection.ConnectionStatus.CONNECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client honouring an {@link IngestGate} over a real socket: while the gate is held it stops reading
 * (the emulator keeps producing, the socket and the emulator's outbound buffer keep the rest), after a
 * release or an expired hold it reads again, and nothing is lost, doubled or recycled on the way.
 */
class IngestGateFeedIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Long enough that no hold of these tests expires unless a test wants it to. */
    private static final Duration NEVER_EXPIRES = Duration.ofSeconds(30);
    private static final List<String> TICKERS = List.of("AAPL", "MSFT", "NVDA", "TSLA");

    private MassiveEmulator emulator;
    private MassiveFeedClientFactory factory;
    private ScheduledExecutorService scheduler;

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.close();
        }
        if (emulator != null) {
            emulator.stop();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /**
     * An emulator streaming T and Q at {@code rate} with consecutive {@code q} (sequence jumps off: each
     * (ticker, channel) stream then adds exactly one per event, see TickerStream.write).
     */
    private void startEmulator(long rate) {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(rate).sequenceJumps(false)
                .eventTypes(EventType.T, EventType.Q).build().start();
    }

    private MassiveConfig config(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(extra);
        m.put(MassiveConfig.URL, emulator.url());
        m.put(MassiveConfig.API_KEY, "k");
        m.put(MassiveConfig.CHANNELS, "T,Q");
        return MassiveConfig.from(Settings.of(m));
    }

    private IngestGate realGate(Duration maxPause) {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        return new IngestGate(maxPause, scheduler, System::nanoTime);
    }

    private MassiveFeedClient connect(MassiveConfig config, IngestGate gate, FeedListener listener) throws Exception {
        factory = new MassiveFeedClientFactory(config, 1).ingestGate(gate);
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.subscribe(TICKERS).thenRun(() -> { });
        client.connect().get(30, TimeUnit.SECONDS);
        return client;
    }

    /**
     * Waits until the client has stopped delivering (the same count on two polls 300 ms apart, at a rate
     * that would add hundreds meanwhile) and returns that count. A client that keeps reading never gets
     * here: the wait fails.
     */
    private static long awaitStopped(RecordingListener listener) {
        AtomicLong last = new AtomicLong(-1);
        await("the client stops delivering while the gate is held").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(300)).until(() -> listener.events() == last.getAndSet(listener.events()));
        return listener.events();
    }

    /**
     * Holds on to a stopped client while the emulator produces {@code more} events beyond what it
     * delivered: it must deliver none of them.
     */
    private static void assertStaysStopped(RecordingListener listener, EmulatorSession session, long stoppedAt,
                                           long more) {
        await().atMost(PATIENCE).until(() -> session.eventsSent() >= stoppedAt + more
                || listener.events() != stoppedAt);
        assertThat(listener.events()).as("delivered while held").isEqualTo(stoppedAt);
        assertThat(session.eventsSent()).isGreaterThanOrEqualTo(stoppedAt + more);
    }

    /** Stops the emulator and waits until the client has delivered everything it was sent. */
    private void drain(RecordingListener listener, EmulatorSession session) {
        emulator.pauseStreaming(); // counts are final once this returns
        await("everything sent delivered").atMost(PATIENCE).until(() -> listener.events() == session.eventsSent());
    }

    @Test
    void aGateHeldBeforeTheConnectionLetsItAuthenticateAndSubscribeThenPausesAtTheFirstData() throws Exception {
        startEmulator(2_000);
        IngestGate gate = realGate(NEVER_EXPIRES);
        gate.hold();
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = connect(config(Map.of()), gate, listener); // status frames are always read
        assertThat(listener.statusSequence()).containsExactly(ConnectionStatus.CONNECTING, CONNECTED);
        EmulatorSession session = emulator.sessionFor("connection_1");
        await().atMost(PATIENCE).until(() -> session.eventsSent() > 0);
        long stopped = awaitStopped(listener);
        assertStaysStopped(listener, session, stopped, 1_500);

        gate.release();
        drain(listener, session);
        assertThat(client.stats().sessions()).isEqualTo(1);
    }

    @Test
    void whileHeldTheClientStopsReadingAndAfterAReleaseItReadsEverythingTheServerKept() throws Exception {
        startEmulator(2_000);
        IngestGate gate = realGate(NEVER_EXPIRES);
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = connect(config(Map.of()), gate, listener);
        await().atMost(PATIENCE).until(() -> listener.events() > 500);
        EmulatorSession session = emulator.sessionFor("connection_1");

        gate.hold();
        long sentAtHold = session.eventsSent();
        long stopped = awaitStopped(listener);
        // what the client still delivers after the hold was on the wire already: the rest of the bytes of
        // the read in progress (plus, at most, one more read to complete a frame cut by the read)
        assertThat(stopped).isLessThanOrEqualTo(sentAtHold + 500);
        assertStaysStopped(listener, session, stopped, 1_500); // ~0.75 s of production, none delivered

        gate.release();
        long sentAtRelease = session.eventsSent();
        await().atMost(PATIENCE).until(() -> listener.events() > sentAtRelease); // the backlog, then new ones
        drain(listener, session);
        assertThat(listener.events()).isEqualTo(session.eventsSent());
        assertThat(gate.holds()).isEqualTo(1);
        assertThat(gate.expired()).isZero();
        assertThat(client.status()).isEqualTo(CONNECTED);
        assertThat(client.stats().sessions()).isEqualTo(1);
        assertThat(emulator.slowConsumerKills()).isZero(); // held, not cut off: the backlog stayed small
    }

    @Test
    void aHoldStopsDeliveryAtTheEndOfTheFrameInProgressThoughTheSocketReadCarriedMoreFrames() throws Exception {
        int perFrame = 20;
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(20_000).batchSize(perFrame)
                .sequenceJumps(false).eventTypes(EventType.T, EventType.Q).build().start();
        IngestGate gate = realGate(NEVER_EXPIRES);
        RecordingListener listener = new RecordingListener();
        AtomicLong armed = new AtomicLong();
        AtomicLong deliveredAtHold = new AtomicLong(-1);
        FeedListener holdsOnFirstEventOnceArmed = new ForwardingListener(listener) { // as the publisher holds from a feed thread
            @Override
            public void onEvent(MarketEvent event) {
                listener.onEvent(event);
                if (armed.compareAndSet(1, 0)) {
                    deliveredAtHold.set(listener.events());
                    gate.hold();
                }
            }
        };
        MassiveFeedClient client = connect(config(Map.of()), gate, holdsOnFirstEventOnceArmed);
        await().atMost(PATIENCE).until(() -> listener.events() > 500);
        EmulatorSession session = emulator.sessionFor("connection_1");
        gate.hold();
        long stopped = awaitStopped(listener);
        // a backlog of many frames in the socket: each read after the release carries dozens of them
        await().atMost(PATIENCE).until(() -> session.eventsSent() >= stopped + 10_000);

        armed.set(1);
        gate.release();
        await().atMost(PATIENCE).until(() -> deliveredAtHold.get() >= 0);
        long stoppedAgain = awaitStopped(listener);
        // the rest of the frame whose first event held the gate, and nothing of the frames read with it
        assertThat(stoppedAgain - deliveredAtHold.get()).isLessThan(perFrame);
        assertStaysStopped(listener, session, stoppedAgain, 2_000);

        gate.release();
        drain(listener, session);
        assertThat(listener.events()).isEqualTo(session.eventsSent());
        assertThat(gate.holds()).isEqualTo(2);
        assertThat(client.stats().sessions()).isEqualTo(1);
        assertThat(emulator.slowConsumerKills()).isZero();
    }

    @Test
    void nothingIsLostOrDoubledAcrossSeveralHoldsAndReleases() throws Exception {
        startEmulator(3_000);
        IngestGate gate = realGate(NEVER_EXPIRES);
        RecordingListener recorder = new RecordingListener();
        SequenceCheck sequences = new SequenceCheck(recorder);
        MassiveFeedClient client = connect(config(Map.of()), gate, sequences);
        await().atMost(PATIENCE).until(() -> recorder.events() > 300);
        EmulatorSession session = emulator.sessionFor("connection_1");

        for (int cycle = 0; cycle < 4; cycle++) {
            gate.hold();
            long stopped = awaitStopped(recorder);
            assertStaysStopped(recorder, session, stopped, 600);
            gate.release();
            long sentAtRelease = session.eventsSent();
            await().atMost(PATIENCE).until(() -> recorder.events() > sentAtRelease);
        }
        drain(recorder, session);

        // the emulator's q is consecutive per (ticker, channel) here: every event sent arrives once, in order
        assertThat(sequences.anomalies()).isEmpty();
        for (String t : TICKERS) {
            for (EventType type : List.of(EventType.T, EventType.Q)) {
                long sent = session.eventsSent(t, type);
                assertThat(sent).as("%s %s sent", type, t).isPositive();
                assertThat(sequences.count(t, type)).as("%s %s received", type, t).isEqualTo(sent);
                assertThat(sequences.last(t, type) - sequences.first(t, type) + 1)
                        .as("%s %s q span", type, t).isEqualTo(sent);
            }
        }
        assertThat(recorder.events()).isEqualTo(session.eventsSent());
        assertThat(gate.holds()).isEqualTo(4);
        assertThat(gate.expired()).isZero();
        assertThat(client.stats().sessions()).isEqualTo(1);
        assertThat(client.stats().reconnects()).isZero();
        assertThat(emulator.slowConsumerKills()).isZero();
    }

    @Test
    void aPauseLongerThanTheSilenceTimeoutDoesNotRecycleTheConnection() throws Exception {
        startEmulator(1_000);
        IngestGate gate = realGate(NEVER_EXPIRES);
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = connect(config(Map.of(
                MassiveConfig.PING_INTERVAL, "300ms", MassiveConfig.SILENCE_TIMEOUT, "1s")), gate, listener);
        await().atMost(PATIENCE).until(() -> listener.events() > 200);
        EmulatorSession session = emulator.sessionFor("connection_1");

        gate.hold();
        long stopped = awaitStopped(listener);
        // held for at least 2.5 silence timeouts with nothing read: the idle handler fires meanwhile
        await().pollDelay(Duration.ofMillis(2_500)).atMost(PATIENCE).until(() -> true);
        assertThat(listener.events()).isEqualTo(stopped);
        assertThat(session.eventsSent()).isGreaterThan(stopped + 1_000);
        assertThat(client.stats().silenceRecycles()).as("silence recycles while held").isZero();
        assertThat(client.stats().sessions()).as("sessions while held").isEqualTo(1);
        assertThat(session.isOpen()).isTrue();
        gate.release();

        long sentAtRelease = session.eventsSent();
        await().atMost(PATIENCE).until(() -> listener.events() > sentAtRelease);
        drain(listener, session);
        MassiveFeedStats stats = client.stats();
        assertThat(stats.silenceRecycles()).isZero();
        assertThat(stats.sessions()).isEqualTo(1);
        assertThat(stats.reconnects()).isZero();
        assertThat(client.status()).isEqualTo(CONNECTED);
        assertThat(emulator.sessionsOpened()).isEqualTo(1);
        assertThat(session.isOpen()).isTrue();
        assertThat(listener.events()).isEqualTo(session.eventsSent());
        assertThat(listener.statusSequence()).containsExactly(ConnectionStatus.CONNECTING, CONNECTED);
        assertThat(emulator.slowConsumerKills()).isZero();
    }

    @Test
    void aHoldThatExpiresLetsTheClientReadAgainByItself() throws Exception {
        startEmulator(2_000);
        // the gate's timer on a manual clock: the hold lasts, provably paused, until the test lets its
        // 300 ms pass; then the gate's own expiry (not a release) opens it
        ManualTime time = new ManualTime();
        IngestGate gate = new IngestGate(Duration.ofMillis(300), time.scheduler(), () -> nanos(time.now()));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = connect(config(Map.of()), gate, listener);
        await().atMost(PATIENCE).until(() -> listener.events() > 300);
        EmulatorSession session = emulator.sessionFor("connection_1");

        gate.hold();
        long stopped = awaitStopped(listener);
        assertStaysStopped(listener, session, stopped, 1_000);
        time.advance(Duration.ofMillis(299));
        assertThat(gate.expired()).isZero();
        assertThat(gate.isOpen()).isFalse();
        time.advance(Duration.ofMillis(1)); // the hold runs out, never released
        assertThat(gate.expired()).isEqualTo(1);
        assertThat(gate.isOpen()).isTrue();

        long sentAtExpiry = session.eventsSent();
        await().atMost(PATIENCE).until(() -> listener.events() > sentAtExpiry);
        gate.hold(); // ignored until the holder releases: the client keeps reading
        assertThat(gate.holds()).isEqualTo(1);
        long afterIgnoredHold = listener.events();
        await().atMost(PATIENCE).until(() -> listener.events() > afterIgnoredHold + 500);
        drain(listener, session);
        assertThat(listener.events()).isEqualTo(session.eventsSent());
        assertThat(client.stats().sessions()).isEqualTo(1);
        assertThat(emulator.slowConsumerKills()).isZero();
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /**
     * Records per (ticker, channel) the first, last and count of {@code q}, and every value that is not
     * the last plus one (a gap, a repeat or a step back). Events arrive on the client's one I/O thread.
     */
    private static final class SequenceCheck extends ForwardingListener {
        private final Map<String, long[]> streams = new HashMap<>(); // first, last, count
        private final List<String> anomalies = new ArrayList<>();

        SequenceCheck(RecordingListener delegate) {
            super(delegate);
        }

        @Override
        public void onEvent(MarketEvent event) {
            if (event instanceof Trade || event instanceof Quote) {
                synchronized (this) {
                    String key = event.eventType() + "." + event.symbol();
                    long q = event.sequence();
                    long[] s = streams.get(key);
                    if (s == null) {
                        streams.put(key, new long[] {q, q, 1});
                    } else {
                        if (q != s[1] + 1) {
                            anomalies.add(key + ": q " + q + " after " + s[1]);
                        }
                        s[1] = q;
                        s[2]++;
                    }
                }
            }
            delegate.onEvent(event); // counted last: a test that sees the count sees the check
        }

        synchronized List<String> anomalies() {
            return List.copyOf(anomalies);
        }

        private synchronized long[] stream(String ticker, EventType type) {
            long[] s = streams.get(type + "." + ticker);
            return s == null ? new long[] {0, -1, 0} : s.clone();
        }

        long first(String ticker, EventType type) {
            return stream(ticker, type)[0];
        }

        long last(String ticker, EventType type) {
            return stream(ticker, type)[1];
        }

        long count(String ticker, EventType type) {
            return stream(ticker, type)[2];
        }
    }
}
