package io.tickstock.feed.massive.capture;

import io.tickstock.core.capture.CaptureFiles;
import io.tickstock.core.capture.CaptureReader;
import io.tickstock.core.capture.CapturedFrame;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickstock.core.event.EventType;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.feed.massive.MassiveFeedClient;
import io.tickstock.feed.massive.MassiveFeedClientFactory;
import io.tickstock.feed.massive.RecordingListener;
import io.tickstock.emulator.EmulatorSession;
import io.tickstock.emulator.MassiveEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Capture hooked into a real client reading the emulator. */
class CaptureIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final JsonFactory JSON = new JsonFactory();
    @TempDir
    Path dir;
    private MassiveEmulator emulator;
    private MassiveFeedClientFactory factory;
    private FrameCapture capture;

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.close();
        }
        if (capture != null) {
            capture.close();
        }
        if (emulator != null) {
            emulator.stop();
        }
    }

    /** Data events per ticker in captured frames (status frames are captured too, and not counted). */
    static Map<String, Long> eventsPerTicker(Path dir) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (CaptureFiles.Name n : CaptureFiles.list(dir)) {
            try (CaptureReader r = new CaptureReader(n.path())) {
                for (CapturedFrame f; (f = r.next()) != null; ) {
                    try (JsonParser p = JSON.createParser(f.text())) {
                        p.nextToken();
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            String ev = null;
                            String sym = null;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String name = p.currentName();
                                p.nextToken();
                                if (name.equals("ev")) {
                                    ev = p.getText();
                                } else if (name.equals("sym")) {
                                    sym = p.getText();
                                } else {
                                    p.skipChildren();
                                }
                            }
                            if (!"status".equals(ev) && sym != null) {
                                out.merge(sym, 1L, Long::sum);
                            }
                        }
                    }
                }
                assertThat(r.truncated()).isFalse();
            }
        }
        return out;
    }

    private MassiveFeedClient client(RecordingListener listener) throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k1").eventsPerSecond(3_000).batchSize(20).build().start();
        factory = new MassiveFeedClientFactory(MassiveConfig.defaults(emulator.url(), "k1")
                .withChannels(List.of(EventType.T, EventType.Q))).capture(capture);
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.subscribe(List.of("AAPL", "MSFT", "NVDA"));
        client.connect().get(30, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void everyReceivedFrameIsInTheJournalWithTheSameEvents() throws Exception {
        capture = FrameCapture.start(CaptureConfig.of(dir), Clock.systemUTC());
        RecordingListener listener = new RecordingListener();
        client(listener);
        await().atMost(PATIENCE).until(() -> listener.events() >= 3_000);
        emulator.pauseStreaming();
        EmulatorSession session = emulator.sessionFor("connection_1");
        await().atMost(PATIENCE).until(() -> listener.events() == session.eventsSent());
        factory.close();
        factory = null;
        capture.close();

        assertThat(CaptureFiles.list(dir)).hasSize(1).allSatisfy(n -> assertThat(n.connectionId()).isEqualTo("connection_1"));
        assertThat(eventsPerTicker(dir)).isEqualTo(session.eventsSentPerTicker());
        assertThat(capture.framesWritten()).isEqualTo(session.framesSent()); // every text frame, status frames included
        assertThat(capture.dropped()).isZero();
    }

    @Test
    void anUnwritableDirectoryLeavesTheFeedUntouched() throws Exception {
        Path plainFile = Files.writeString(dir.resolve("not-a-dir"), "x");
        capture = FrameCapture.start(CaptureConfig.of(plainFile.resolve("capture")), Clock.systemUTC());
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = client(listener);
        await().atMost(PATIENCE).until(() -> listener.events() >= 3_000);
        emulator.pauseStreaming();
        EmulatorSession session = emulator.sessionFor("connection_1");
        await().atMost(PATIENCE).until(() -> listener.events() == session.eventsSent());
        await().atMost(PATIENCE).until(() -> capture.health().get("queued_bytes").equals(0L));

        assertThat(client.stats().malformedFrames()).isZero();
        assertThat(listener.errors()).isEmpty();
        assertThat(capture.framesWritten()).isZero();
        assertThat(capture.droppedIo()).isEqualTo(session.framesSent());
        assertThat(capture.warnings()).isEqualTo(1);
        assertThat(capture.health()).containsEntry("writing", false);
    }
}
