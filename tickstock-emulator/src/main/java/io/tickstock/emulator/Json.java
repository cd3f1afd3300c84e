package io.tickstock.emulator;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Allocation-free writing of the few JSON shapes the emulator sends (ASCII only). */
final class Json {
    private static final byte[] DIGITS = "0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000};
    /** Digits are written right to left here, then copied in one go. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[20]);

    private Json() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static void writeLong(ByteBuf out, long v) {
        if (v < 0) {
            out.writeByte('-');
            if (v == Long.MIN_VALUE) {
                out.writeCharSequence("9223372036854775808", StandardCharsets.US_ASCII);
                return;
            }
            v = -v;
        }
        if (v < 10) {
            out.writeByte(DIGITS[(int) v]);
            return;
        }
        byte[] buf = SCRATCH.get();
        int i = buf.length;
        while (v > 0) {
            buf[--i] = DIGITS[(int) (v % 10)];
            v /= 10;
        }
        out.writeBytes(buf, i, buf.length - i);
    }

    /** Writes {@code units / 10^decimals} as a decimal number, e.g. 41256 with 2 decimals as 412.56. */
    static void writeFixed(ByteBuf out, long units, int decimals) {
        if (units < 0) {
            out.writeByte('-');
            units = -units;
        }
        long scale = POW10[decimals];
        writeLong(out, units / scale);
        out.writeByte('.');
        long frac = units % scale;
        for (long d = scale / 10; d > 0; d /= 10) {
            out.writeByte(DIGITS[(int) (frac / d % 10)]);
        }
    }

    /** Writes a JSON string of ASCII text, escaping quotes, backslashes and control characters. */
    static void writeString(ByteBuf out, String s) {
        out.writeByte('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.writeByte('\\').writeByte(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.writeCharSequence(String.format("\\u%04x", (int) c), StandardCharsets.US_ASCII);
            } else {
                out.writeByte(c);
            }
        }
        out.writeByte('"');
    }
}
