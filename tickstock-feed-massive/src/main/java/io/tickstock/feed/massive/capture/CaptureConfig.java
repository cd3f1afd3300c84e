package io.tickstock.feed.massive.capture;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Settings;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Capture settings; capture is on when {@code TICKSTOCK_CAPTURE_DIR} is set.
 *
 * @param dir           {@code TICKSTOCK_CAPTURE_DIR}: where the journal files go
 * @param queueBytes    {@code TICKSTOCK_CAPTURE_QUEUE_BYTES}: most frame bytes waiting for the writer
 *                      thread; frames beyond it are dropped and counted
 * @param maxFileBytes  {@code TICKSTOCK_CAPTURE_MAX_FILE_BYTES}: compressed size after which a day's file
 *                      continues in a new part
 * @param retentionDays {@code TICKSTOCK_CAPTURE_RETENTION_DAYS}: files of trading days older than this are deleted
 * @param maxTotalBytes {@code TICKSTOCK_CAPTURE_MAX_TOTAL_BYTES}: the oldest closed files are deleted while
 *                      the directory holds more than this
 */
public record CaptureConfig(Path dir, long queueBytes, long maxFileBytes, int retentionDays, long maxTotalBytes) {
    /**
     * {@code TICKSTOCK_CAPTURE_DIR}: Journal every frame each connection receives, one gzip file per
     * connection per US/Eastern trading day. Default: — (off).
     */
    public static final String DIR = "TICKSTOCK_CAPTURE_DIR";
    /**
     * {@code TICKSTOCK_CAPTURE_QUEUE_BYTES}: Most bytes of frames waiting for the capture's writer thread;
     * beyond it frames are dropped (counted), never waited for (64 KiB – 16 GiB). Default: {@code 67108864}.
     */
    public static final String QUEUE_BYTES = "TICKSTOCK_CAPTURE_QUEUE_BYTES";
    /**
     * {@code TICKSTOCK_CAPTURE_MAX_FILE_BYTES}: Compressed size after which a day's file continues in the
     * next part. Default: {@code 1073741824}.
     */
    public static final String MAX_FILE_BYTES = "TICKSTOCK_CAPTURE_MAX_FILE_BYTES";
    /**
     * {@code TICKSTOCK_CAPTURE_RETENTION_DAYS}: Files of trading days older than this are deleted (1–36500).
     * Default: {@code 30}.
     */
    public static final String RETENTION_DAYS = "TICKSTOCK_CAPTURE_RETENTION_DAYS";
    /**
     * {@code TICKSTOCK_CAPTURE_MAX_TOTAL_BYTES}: The oldest files are deleted while the directory holds more
     * than this (at least 1 MiB). Default: {@code 53687091200}.
     */
    public static final String MAX_TOTAL_BYTES = "TICKSTOCK_CAPTURE_MAX_TOTAL_BYTES";

    /** The capture settings when {@value #DIR} is set; empty means capture is off. */
    public static Optional<CaptureConfig> from(Settings s) {
        Optional<String> dir = s.get(DIR).filter(d -> !d.isBlank());
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(dir.get());
        } catch (RuntimeException e) {
            throw new ConfigException(DIR, dir.get(), "a directory path");
        }
        return Optional.of(new CaptureConfig(path,
                s.getLong(QUEUE_BYTES, 64L << 20, 1L << 16, 1L << 34),
                s.getLong(MAX_FILE_BYTES, 1L << 30, 1L << 16, 1L << 40),
                s.getInt(RETENTION_DAYS, 30, 1, 36_500),
                s.getLong(MAX_TOTAL_BYTES, 50L << 30, 1L << 20, Long.MAX_VALUE)));
    }

    /** Defaults for everything but the directory (tests, embedding). */
    public static CaptureConfig of(Path dir) {
        return new CaptureConfig(dir, 64L << 20, 1L << 30, 30, 50L << 30);
    }
}
