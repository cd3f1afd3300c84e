package io.tickstock.admin.internal.stream;

import com.fasterxml.jackson.core.io.NumberOutput;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.Tick;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Writes {@code tick_update} frames byte by byte into a reused array: the very bytes of
 * {@link StreamMessages#ticksUtf8} (numbers through Jackson's own writers), at about half the CPU,
 * which matters because a browser that falls behind gets frames of its own. A frame with a string
 * that needs escaping or a price that is not a finite number is left to {@link StreamMessages}.
 *
 * <p>Not thread-safe: owned by the stream's flusher thread.
 */
final class TickFrameWriter {
    private static final byte[] HEAD = ascii("{\"event\":\"" + StreamMessages.TICK_UPDATE + "\",\"data\":[");
    private static final byte[] CONNECTION_ID = ascii("{\"connection_id\":");
    private static final byte[] SYMBOL = ascii(",\"symbol\":");
    private static final byte[] PRICE = ascii(",\"price\":");
    private static final byte[] VOLUME = ascii(",\"volume\":");
    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[] EVENT_TYPE = ascii(",\"event_type\":");
    private static final byte[] RECEIVED_AT = ascii(",\"received_at\":");
    private static final byte[] NULL = ascii("null");
    /** A tick's bytes besides its strings: the names above, a comma, braces, three longs and a double. */
    private static final int FIXED = CONNECTION_ID.length + SYMBOL.length + PRICE.length + VOLUME.length
            + TIMESTAMP.length + EVENT_TYPE.length + RECEIVED_AT.length + 3 + 3 * 20 + 32;

    /** The most the array keeps between frames: the array of a bigger frame is let go. */
    static final int RETAINED = 1 << 20;

    private byte[] buf = new byte[64 * 1024];

    /** The frame of the first {@code limit} of {@code ticks}, as a fresh array of its exact length. */
    byte[] write(Iterable<? extends Tick> ticks, int limit) {
        try {
            return frame(ticks, limit);
        } finally {
            if (buf.length > RETAINED) { // also when the frame was left to Jackson after the array grew
                buf = new byte[RETAINED];
            }
        }
    }

    /** The bytes held between frames (for tests). */
    int capacity() {
        return buf.length;
    }

    private byte[] frame(Iterable<? extends Tick> ticks, int limit) {
        int p = put(0, HEAD);
        int n = 0;
        for (Iterator<? extends Tick> it = ticks.iterator(); n < limit && it.hasNext(); n++) {
            Tick t = it.next();
            double price = t.price();
            String connectionId = t.connectionId();
            String symbol = t.symbol();
            EventType type = t.eventType();
            String code = type == null ? null : type.code();
            room(p, FIXED + length(connectionId) + length(symbol) + length(code));
            if (n > 0) {
                buf[p++] = ',';
            }
            p = quoted(put(p, CONNECTION_ID), connectionId);
            p = p < 0 ? p : quoted(put(p, SYMBOL), symbol);
            if (p < 0 || !Double.isFinite(price)) {
                return StreamMessages.ticksUtf8(ticks, limit);
            }
            p = put(p, PRICE);
            String digits = NumberOutput.toString(price, true); // Jackson's fast double writer
            for (int i = 0; i < digits.length(); i++) {
                buf[p++] = (byte) digits.charAt(i); // digits, '.', '-', 'E'
            }
            p = NumberOutput.outputLong(t.volume(), buf, put(p, VOLUME));
            p = NumberOutput.outputLong(t.timestamp(), buf, put(p, TIMESTAMP));
            p = quoted(put(p, EVENT_TYPE), code);
            if (p < 0) {
                return StreamMessages.ticksUtf8(ticks, limit);
            }
            p = NumberOutput.outputLong(StreamMessages.receivedAt(t), buf, put(p, RECEIVED_AT));
            buf[p++] = '}';
        }
        room(p, 2);
        buf[p++] = ']';
        buf[p++] = '}';
        return Arrays.copyOf(buf, p);
    }

    /** Grows the array so that {@code needed} more bytes fit after {@code p}. */
    private void room(int p, int needed) {
        if (p + needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, p + needed));
        }
    }

    private int put(int p, byte[] bytes) {
        System.arraycopy(bytes, 0, buf, p, bytes.length);
        return p + bytes.length;
    }

    /** {@code s} in quotes ({@code null} for null), or -1 when a character needs Jackson's escaping or UTF-8. */
    private int quoted(int p, String s) {
        if (s == null) {
            return put(p, NULL);
        }
        buf[p++] = '"';
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                return -1;
            }
            buf[p++] = (byte) c;
        }
        buf[p++] = '"';
        return p;
    }

    private static int length(String s) {
        return s == null ? NULL.length : s.length() + 2;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
