package io.tickstock.emulator;

import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link ReplayMarket} serves: a capture directory (or one capture file) written by the gateway's
 * {@code TICKSTOCK_CAPTURE_DIR}, at a speed, from a time of day.
 *
 * @param source           a capture directory or one {@code .capture.gz} file
 * @param speed            1 = the original pace, 10 = ten times faster, 0 = as fast as the clients read
 * @param from             skip what was received before this US/Eastern time of the capture's first day;
 *                         null: from the start
 * @param startAfterSessions replay begins once this many authenticated connections have subscribed
 *                         (and nothing changed for a moment), so that no client misses the beginning
 */
public record ReplayOptions(Path source, double speed, LocalTime from, int startAfterSessions) {
    public ReplayOptions {
        Objects.requireNonNull(source, "source");
        if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be 0 (max) or positive");
        }
        if (startAfterSessions < 1) {
            throw new IllegalArgumentException("startAfterSessions must be at least 1");
        }
    }

    /** The original pace, from the start, beginning when one client has subscribed. */
    public static ReplayOptions of(Path source) {
        return new ReplayOptions(source, 1, null, 1);
    }

    public ReplayOptions speed(double x) {
        return new ReplayOptions(source, x, from, startAfterSessions);
    }

    public ReplayOptions from(LocalTime t) {
        return new ReplayOptions(source, speed, t, startAfterSessions);
    }

    public ReplayOptions startAfterSessions(int n) {
        return new ReplayOptions(source, speed, from, n);
    }

    /** {@code 1x}, {@code 10x}, {@code 2.5x} or {@code max}. */
    public static double parseSpeed(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("max")) {
            return 0;
        }
        if (t.endsWith("x")) {
            t = t.substring(0, t.length() - 1);
        }
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("speed must be like 1x, 10x or max, not " + text);
        }
        if (!(v > 0) || v > 1_000_000) {
            throw new IllegalArgumentException("speed must be like 1x, 10x or max, not " + text);
        }
        return v;
    }
}
