package io.tickstock.redis;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;

/**
 * JSON values written as bytes straight into an array, each exactly as the publisher's Jackson
 * generator writes it. The caller guarantees the room; the methods return the end of what they wrote.
 */
final class JsonBytes {
    /** The most bytes {@link #writeLong} writes. */
    static final int MAX_LONG_LENGTH = 20;
    /** The most bytes {@link #writeDouble} writes (Jackson's longest double, e.g. {@code -2.2250738585072014E-308}). */
    static final int MAX_DOUBLE_LENGTH = 24;
    /** The most bytes {@link #writeEpochSeconds} writes. */
    static final int MAX_EPOCH_SECONDS_LENGTH = MAX_LONG_LENGTH + 4;

    private static final byte[] NULL = ascii("null");

    private JsonBytes() {
    }

    /** The bytes of an ASCII constant. */
    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether Jackson writes {@code c} in a string as the byte itself: printable ASCII but {@code "} and {@code \}. */
    static boolean plain(char c) {
        return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
    }

    /**
     * {@code s} quoted (or {@code null} for a null string), or null when a character of it is not
     * {@link #plain} (then Jackson's escaping or UTF-8 encoding is needed).
     */
    static byte[] quoted(String s) {
        if (s == null) {
            return NULL;
        }
        byte[] q = new byte[s.length() + 2];
        int end = writeQuoted(q, 0, s);
        return end < 0 ? null : q;
    }

    /**
     * Writes {@code s} quoted (needs its length + 2 bytes), or returns -1 when a character is not
     * {@link #plain}; a null string is written as {@code null}, as Jackson does.
     */
    static int writeQuoted(byte[] b, int p, String s) {
        if (s == null) {
            return put(b, p, NULL);
        }
        b[p++] = '"';
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (!plain(c)) {
                return -1;
            }
            b[p++] = (byte) c;
        }
        b[p++] = '"';
        return p;
    }

    /** Copies a pre-encoded constant. */
    static int put(byte[] b, int p, byte[] bytes) {
        System.arraycopy(bytes, 0, b, p, bytes.length);
        return p + bytes.length;
    }

    /** Decimal digits of {@code v}, with a minus sign when negative: Jackson's own integer writer. */
    static int writeLong(byte[] b, int p, long v) {
        return NumberOutput.outputLong(v, b, p);
    }

    /**
     * A finite double: the exact short form of {@link PriceDecimal} when it applies, else the characters
     * of Jackson's own fast double writer (the call Jackson makes), so the bytes are Jackson's either way.
     */
    static int writeDouble(byte[] b, int p, double v) {
        int end = PriceDecimal.write(b, p, v);
        if (end >= 0) {
            return end;
        }
        String s = NumberOutput.toString(v, true);
        for (int i = 0, n = s.length(); i < n; i++) {
            b[p++] = (byte) s.charAt(i); // digits, '.', '-', 'E': ASCII
        }
        return p;
    }

    /** Epoch milliseconds {@code >= 0} as exact decimal seconds: {@code 1705853696123 → 1705853696.123}. */
    static int writeEpochSeconds(byte[] b, int p, long millis) {
        p = writeLong(b, p, millis / 1000);
        int ms = (int) (millis % 1000);
        b[p] = '.';
        b[p + 1] = (byte) ('0' + ms / 100);
        b[p + 2] = (byte) ('0' + ms / 10 % 10);
        b[p + 3] = (byte) ('0' + ms % 10);
        return p + 4;
    }
}
