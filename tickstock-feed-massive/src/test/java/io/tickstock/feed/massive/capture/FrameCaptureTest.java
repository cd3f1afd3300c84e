package io.tickstock.feed.massive.capture;

import io.tickstock.core.capture.CaptureFiles;
import io.tickstock.core.capture.CaptureReader;
import io.tickstock.core.capture.CapturedFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FrameCaptureTest {
    // 2026-12-01 23:59:59.000 US/Eastern = 2026-12-02 04:59:59 UTC
    private static final long BEFORE_MIDNIGHT_ET = Instant.parse("2026-12-02T04:59:59Z").toEpochMilli();

    @TempDir
    Path dir;
    private FrameCapture capture;
    private final AtomicLong now = new AtomicLong(BEFORE_MIDNIGHT_ET);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    @AfterEach
    void stop() {
        if (capture != null) {
            capture.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<CapturedFrame> readAll(Path file) throws IOException {
        List<CapturedFrame> out = new ArrayList<>();
        try (CaptureReader r = new CaptureReader(file)) {
            for (CapturedFrame f; (f = r.next()) != null; ) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void framesAreJournaledPerConnectionAndTradingDayWithTheirReceiveTimes() throws Exception {
        capture = FrameCapture.start(CaptureConfig.of(dir), clock);
        FrameCapture.Tap one = capture.tap("connection_1");
        FrameCapture.Tap two = capture.tap("connection_2");
        byte[] padded = b("xx[{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":1.5}]yy");
        one.offer(padded, 2, padded.length - 4); // an offset slice of a larger buffer, as Netty hands it
        two.offer(b("[{\"ev\":\"Q\"}]"), 0, 12);
        byte[] odd = b("not json\nwith a newline and a # sign");
        one.offer(odd, 0, odd.length);
        now.addAndGet(2_000); // past midnight US/Eastern: a new trading day
        one.offer(b("[]"), 0, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> capture.framesWritten() == 4);
        capture.close();

        assertThat(CaptureFiles.list(dir)).extracting(n -> n.path().getFileName().toString()).containsExactly(
                "connection_1.2026-12-01.0.capture.gz", "connection_2.2026-12-01.0.capture.gz",
                "connection_1.2026-12-02.0.capture.gz");
        List<CapturedFrame> day1 = readAll(dir.resolve("connection_1.2026-12-01.0.capture.gz"));
        assertThat(day1).hasSize(2);
        assertThat(new String(day1.get(0).text(), StandardCharsets.UTF_8)).isEqualTo("[{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":1.5}]");
        assertThat(day1.get(0).receivedAt()).isEqualTo(BEFORE_MIDNIGHT_ET);
        assertThat(day1.get(0).connectionId()).isEqualTo("connection_1");
        assertThat(day1.get(1).text()).isEqualTo(odd);
        List<CapturedFrame> day2 = readAll(dir.resolve("connection_1.2026-12-02.0.capture.gz"));
        assertThat(day2).extracting(CapturedFrame::receivedAt).containsExactly(BEFORE_MIDNIGHT_ET + 2_000);
        assertThat(capture.health()).containsEntry("frames_written", 4L).containsEntry("dropped", 0L)
                .containsEntry("files_opened", 3L).containsEntry("writing", true);
    }

    @Test
    void aRestartWritesTheNextPartAndAFileCutShortReadsUpToItsLastWholeFrame() throws Exception {
        capture = FrameCapture.start(CaptureConfig.of(dir), clock);
        for (int i = 0; i < 100; i++) {
            capture.tap("connection_1").offer(b("[" + i + "]"), 0, ("[" + i + "]").length());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> capture.framesWritten() == 100);
        capture.close();
        capture = FrameCapture.start(CaptureConfig.of(dir), clock);
        capture.tap("connection_1").offer(b("[x]"), 0, 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> capture.framesWritten() == 1);
        capture.close();
        Path first = dir.resolve("connection_1.2026-12-01.0.capture.gz");
        assertThat(dir.resolve("connection_1.2026-12-01.1.capture.gz")).exists();
        assertThat(readAll(first)).hasSize(100);

        byte[] whole = Files.readAllBytes(first);
        Path cut = dir.resolve("connection_9.2026-12-01.0.capture.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 12)); // killed mid-write: no gzip trailer
        try (CaptureReader r = new CaptureReader(cut)) {
            int n = 0;
            while (r.next() != null) {
                n++;
            }
            assertThat(n).isBetween(90, 100);
            assertThat(r.truncated()).isTrue();
        }
    }

    @Test
    void aFullDiskDropsAndCountsFramesWithOneWarningAndNeverBlocksTheCaller() throws Exception {
        // every file accepts 200 bytes, then "No space left on device"
        Journal.Opener fullDisk = p -> new OutputStream() {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > 200) {
                    throw new IOException("No space left on device");
                }
                written += len;
            }
        };
        capture = FrameCapture.start(CaptureConfig.of(dir), clock, fullDisk);
        byte[] frame = new byte[1_000];
        java.util.Arrays.fill(frame, (byte) 'x');
        FrameCapture.Tap tap = capture.tap("connection_1");
        for (int i = 0; i < 500; i++) {
            tap.offer(frame, 0, frame.length);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> capture.dropped() + capture.framesWritten() == 500);
        assertThat(capture.droppedIo()).isPositive();
        assertThat(capture.warnings()).isEqualTo(1);
        assertThat(capture.health()).containsEntry("writing", false);
        assertThat((String) capture.health().get("last_error")).contains("No space left on device");
    }

    @Test
    void anUnwritableDirectoryIsCountedAndWarnedOnce() throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        capture = FrameCapture.start(CaptureConfig.of(notADir.resolve("capture")), clock);
        for (int i = 0; i < 50; i++) {
            capture.tap("connection_1").offer(b("[]"), 0, 2);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> capture.droppedIo() == 50);
        assertThat(capture.framesWritten()).isZero();
        assertThat(capture.warnings()).isEqualTo(1);
        assertThat(capture.writeErrors()).isEqualTo(1); // the rest waits for the retry, without touching the disk
    }

    @Test
    void aStuckWriterMakesTheQueueDropInsteadOfGrowingAndTheJournalSaysSo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Journal.Opener slow = p -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Files.newOutputStream(p);
        };
        capture = FrameCapture.start(new CaptureConfig(dir, 1 << 16, 1L << 30, 30, 1L << 30), clock, slow);
        byte[] frame = new byte[1_000];
        FrameCapture.Tap tap = capture.tap("connection_1");
        long t0 = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            tap.offer(frame, 0, frame.length);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        long dropped = capture.droppedQueueFull();
        assertThat(dropped).isBetween(900L, 999L); // 64 KiB holds about 61 frames of 1,064 bytes
        assertThat((long) capture.health().get("queued_bytes")).isLessThanOrEqualTo(1 << 16);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> capture.health().get("queued_bytes").equals(0L));
        tap.offer(frame, 0, frame.length); // the next frame after the gap carries the marker
        await().atMost(Duration.ofSeconds(10)).failFast(() -> capture.dropped() > dropped)
                .until(() -> capture.framesWritten() == 1_000 - dropped + 1);
        capture.close();
        Path file = CaptureFiles.list(dir).get(0).path();
        String text = new String(new java.util.zip.GZIPInputStream(Files.newInputStream(file)).readAllBytes(),
                StandardCharsets.ISO_8859_1);
        assertThat(text).contains("#dropped " + dropped + " frames (capture queue full)");
    }

    @Test
    void retentionDeletesDaysOlderThanTheLimit() throws Exception {
        for (String name : List.of("connection_1.2026-10-01.0.capture.gz", "connection_1.2026-11-30.0.capture.gz",
                "notes.txt")) {
            Files.write(dir.resolve(name), new byte[10]);
        }
        capture = FrameCapture.start(new CaptureConfig(dir, 1 << 20, 1L << 30, 30, 1L << 30), clock);
        capture.tap("connection_1").offer(b("[]"), 0, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> capture.framesWritten() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(dir.resolve("connection_1.2026-10-01.0.capture.gz")));
        assertThat(dir.resolve("connection_1.2026-11-30.0.capture.gz")).exists();
        assertThat(dir.resolve("notes.txt")).exists();
        assertThat(capture.health()).containsEntry("files_deleted", 1L);
    }
}
