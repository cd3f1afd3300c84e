package io.tickstock.feed.massive.capture;

import io.tickstock.core.capture.CaptureFiles;
import io.tickstock.core.internal.health.EpochSeconds;
import io.tickstock.core.health.HealthContributor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The capture journal: every text frame each connection receives, with its receive time, written to
 * one gzip file per connection per trading day (see {@link CaptureFiles}) by one writer thread.
 *
 * <p>The feed's I/O threads only copy the frame and queue it ({@link Tap#offer}); the queue is bounded
 * in bytes ({@code TICKSTOCK_CAPTURE_QUEUE_BYTES}), and a frame that does not fit is dropped and
 * counted, never waited for. The journal records its own gaps: a {@code #dropped} line says how many
 * frames of that connection were lost before the next one.
 *
 * <p>When the disk fails (unwritable directory, disk full) the frames are dropped and counted, one
 * warning is logged (and one line when writing works again), and opening is retried every few
 * seconds; the feed never notices.
 */
public final class FrameCapture implements HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameCapture.class);
    private static final long RECORD_OVERHEAD = 64; // queue node and record object, counted against the budget
    private static final long FLUSH_EVERY_NANOS = 1_000_000_000L; // at most this much is lost on a crash
    private static final long RETRY_EVERY_NANOS = 5_000_000_000L;
    private static final long RETENTION_EVERY_MS = 3_600_000;

    private record Record(Tap tap, long receivedAt, byte[] frame) {
    }

    /** A connection's entry point into the journal, used on its I/O thread. */
    public final class Tap {
        private final String connectionId;
        private final AtomicLong dropped = new AtomicLong(); // queue full, for this connection
        private long marked; // drops already written as a #dropped line; writer thread only

        private Tap(String connectionId) {
            this.connectionId = connectionId;
        }

        /** Copies the frame and queues it for the writer; never blocks. */
        public void offer(byte[] bytes, int offset, int length) {
            long cost = length + RECORD_OVERHEAD;
            if (!closed && queuedBytes.addAndGet(cost) <= config.queueBytes()) {
                byte[] copy = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
                queue.offer(new Record(this, clock.millis(), copy));
            } else {
                queuedBytes.addAndGet(-cost);
                dropped.incrementAndGet();
                droppedQueueFull.increment();
            }
        }

        /** The connection whose frames this tap journals. */
        public String connectionId() {
            return connectionId;
        }
    }

    private final CaptureConfig config;
    private final Clock clock;
    private final Journal.Opener opener;
    private final LinkedBlockingQueue<Record> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Map<String, Tap> taps = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean running = true;

    // counters: written by the writer thread, read by health
    private final LongAdder droppedQueueFull = new LongAdder();
    private volatile long framesWritten;
    private volatile long droppedIo;
    private volatile long writeErrors;
    private volatile long filesOpened;
    private volatile long filesDeleted;
    private volatile long warnings;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    // writer thread only
    private final Map<String, Journal> open = new HashMap<>();
    private final Map<String, Long> dayEnds = new HashMap<>();
    private boolean failing;
    private long retryAt;
    private long nextFlush;
    private long nextRetention;

    FrameCapture(CaptureConfig config, Clock clock, Journal.Opener opener) {
        this.config = config;
        this.clock = clock;
        this.opener = opener;
        this.nextFlush = System.nanoTime();
        this.thread = new Thread(this::run, "tickstock-capture");
        thread.setDaemon(true);
    }

    /** Starts the writer thread; the directory is created (or found unwritable) on the first frame. */
    public static FrameCapture start(CaptureConfig config, Clock clock) {
        return start(config, clock, p -> Files.newOutputStream(p, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE));
    }

    static FrameCapture start(CaptureConfig config, Clock clock, Journal.Opener opener) {
        FrameCapture c = new FrameCapture(config, clock, opener);
        c.thread.start();
        LOG.info("Capturing every received frame to {} (one gzip file per connection per trading day, "
                + "kept {} days, at most {} MB)", config.dir().toAbsolutePath(), config.retentionDays(),
                config.maxTotalBytes() >> 20);
        return c;
    }

    /** The tap of one connection (one per connection id, made on first use). */
    public Tap tap(String connectionId) {
        return taps.computeIfAbsent(safeId(connectionId), Tap::new);
    }

    private static String safeId(String id) {
        String s = id.replaceAll("[^A-Za-z0-9_\\-]", "_");
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            Record r;
            try {
                r = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = clock.millis();
            long tick = System.nanoTime();
            if (r != null) {
                queuedBytes.addAndGet(-(r.frame.length + RECORD_OVERHEAD));
                write(r, now, tick);
            }
            if (tick - nextFlush >= 0) {
                flushAll(now, tick);
                nextFlush = tick + FLUSH_EVERY_NANOS;
            }
            if (now >= nextRetention && !failing) {
                retention(now);
                nextRetention = now + RETENTION_EVERY_MS;
            }
        }
        closeAll();
    }

    private void write(Record r, long now, long tick) {
        if (failing && tick - retryAt < 0) {
            droppedIo++;
            return;
        }
        String id = r.tap.connectionId;
        try {
            Journal j = journalFor(id, r.receivedAt, now, tick);
            long drops = r.tap.dropped.get();
            if (drops > r.tap.marked) {
                j.comment("#dropped " + (drops - r.tap.marked) + " frames (capture queue full)");
                r.tap.marked = drops;
            }
            j.write(r.receivedAt, r.frame);
        } catch (IOException | RuntimeException e) {
            droppedIo++;
            failed(id, e, now, tick);
        }
    }

    /** A file failed: what it had not flushed is lost (counted); one warning per failing period. */
    private void failed(String id, Exception e, long now, long tick) {
        writeErrors++;
        lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        lastErrorAt = Instant.ofEpochMilli(now);
        Journal broken = open.remove(id);
        if (broken != null) {
            droppedIo += broken.takePending();
            closeQuietly(broken);
        }
        retryAt = tick + RETRY_EVERY_NANOS;
        if (!failing) {
            failing = true;
            warnings++;
            LOG.warn("Capture cannot write to {} ({}); frames are dropped and counted (capture.dropped_io) "
                    + "until it can, the feed is not affected", config.dir().toAbsolutePath(), lastError);
        }
    }

    private void written(int frames) {
        framesWritten += frames;
        if (failing && frames > 0) {
            failing = false;
            LOG.info("Capture writes to {} again", config.dir().toAbsolutePath());
        }
    }

    private Journal journalFor(String id, long receivedAt, long now, long tick) throws IOException {
        Journal j = open.get(id);
        Long end = dayEnds.get(id);
        boolean rollDay = j != null && (end == null || receivedAt >= end);
        if (j != null && !rollDay && j.compressedBytes() < config.maxFileBytes()) {
            return j;
        }
        LocalDate day = Instant.ofEpochMilli(receivedAt).atZone(CaptureFiles.MARKET_ZONE).toLocalDate();
        if (j != null) {
            open.remove(id);
            try {
                written(j.finish());
            } catch (IOException e) {
                droppedIo += j.takePending();
                writeErrors++;
            }
            if (!j.day.equals(day)) {
                retention(now);
            }
        }
        Files.createDirectories(config.dir());
        int part = CaptureFiles.nextPart(config.dir(), id, day);
        Path path = config.dir().resolve(CaptureFiles.fileName(id, day, part));
        Journal fresh = new Journal(id, day, path, opener);
        open.put(id, fresh);
        dayEnds.put(id, day.plusDays(1).atStartOfDay(CaptureFiles.MARKET_ZONE).toInstant().toEpochMilli());
        filesOpened++;
        return fresh;
    }

    private void flushAll(long now, long tick) {
        for (String id : List.copyOf(open.keySet())) {
            try {
                written(open.get(id).flush());
            } catch (IOException e) {
                failed(id, e, now, tick);
            }
        }
    }

    /** Deletes closed files older than the retention, then the oldest while over the size budget. */
    private void retention(long now) {
        try {
            LocalDate today = Instant.ofEpochMilli(now).atZone(CaptureFiles.MARKET_ZONE).toLocalDate();
            LocalDate oldestKept = today.minusDays(config.retentionDays());
            List<CaptureFiles.Name> files = new ArrayList<>(CaptureFiles.list(config.dir()));
            files.removeIf(n -> open.values().stream().anyMatch(j -> j.path.equals(n.path())));
            long total = 0;
            List<Long> sizes = new ArrayList<>();
            for (CaptureFiles.Name n : files) {
                long size = Files.size(n.path());
                sizes.add(size);
                total += size;
            }
            for (Journal j : open.values()) {
                total += j.compressedBytes();
            }
            for (int i = 0; i < files.size(); i++) {
                CaptureFiles.Name n = files.get(i);
                if (n.day().isBefore(oldestKept) || total > config.maxTotalBytes()) {
                    Files.deleteIfExists(n.path());
                    total -= sizes.get(i);
                    filesDeleted++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Capture retention pass failed: {}", e.toString());
        }
    }

    private void closeAll() {
        for (Journal j : open.values()) {
            try {
                written(j.finish());
            } catch (IOException e) {
                droppedIo += j.takePending();
                writeErrors++;
            }
        }
        open.clear();
    }

    private void closeQuietly(Journal j) {
        try {
            j.close();
        } catch (IOException e) {
            writeErrors++;
        }
    }

    /** Frames written to disk so far. */
    public long framesWritten() {
        return framesWritten;
    }

    /** Frames dropped: queue full plus disk failures. */
    public long dropped() {
        return droppedQueueFull.sum() + droppedIo;
    }

    /** Frames dropped because the journal queue was full ({@code TICKSTOCK_CAPTURE_QUEUE_BYTES}). */
    public long droppedQueueFull() {
        return droppedQueueFull.sum();
    }

    /** Frames dropped because the disk failed. */
    public long droppedIo() {
        return droppedIo;
    }

    /** Failed writes to disk. */
    public long writeErrors() {
        return writeErrors;
    }

    /** Warnings logged about disk failures: one per failing period, however many frames it drops. */
    long warnings() {
        return warnings;
    }

    /** The configuration this capture was started with. */
    public CaptureConfig config() {
        return config;
    }

    @Override
    public String healthName() {
        return "capture";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", config.dir().toAbsolutePath().toString());
        m.put("writing", !failing);
        m.put("frames_written", framesWritten);
        m.put("dropped", dropped());
        m.put("dropped_queue_full", droppedQueueFull());
        m.put("dropped_io", droppedIo);
        m.put("write_errors", writeErrors);
        m.put("queued_bytes", Math.max(0, queuedBytes.get()));
        m.put("files_opened", filesOpened);
        m.put("files_deleted", filesDeleted);
        m.put("last_error", lastError);
        Instant at = lastErrorAt;
        m.put("last_error_time", EpochSeconds.of(at));
        return m;
    }

    /** Writes what is queued (the feed should be stopped first), closes the files and stops the thread. */
    @Override
    public void close() {
        closed = true;
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Capture stopped: {} frames written, {} dropped", framesWritten, dropped());
    }
}
