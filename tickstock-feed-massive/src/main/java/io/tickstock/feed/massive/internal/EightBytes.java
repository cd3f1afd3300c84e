package io.tickstock.feed.massive.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads JSON text eight bytes at a time: how many digits or plain string characters lead a word,
 * and the value of its leading digits, without a branch per byte. A loop that stops at a
 * data-dependent byte mispredicts its exit once per number or string, about a dozen times per
 * event; these work out where it stops with a few arithmetic steps instead.
 *
 * <p>Words are little-endian, so the first byte of the text is the lowest byte of the word.
 */
final class EightBytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_NIBBLES = 0xF0F0F0F0F0F0F0F0L;
    private static final long ZEROS = 0x3030303030303030L;
    private static final long SIXES = 0x0606060606060606L;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long BELOW_PRINTABLE = 0x2121212121212121L; // bytes up to the space

    private EightBytes() {
    }

    /** The eight bytes at {@code offset}; the caller checked that they are within the text. */
    static long read(byte[] data, int offset) {
        return (long) LONGS.get(data, offset);
    }

    /** How many of the word's bytes, from its first, are the digits 0 to 9 (0 to 8). */
    static int leadingDigits(long word) {
        // A digit has high nibble 3, and stays below 0x40 when 6 is added; nothing else does both.
        // A carry out of a byte comes only from a byte that is itself not a digit, so the first
        // byte flagged is right whatever happens above it.
        long notDigit = (word & HIGH_NIBBLES ^ ZEROS) | ((word + SIXES) & HIGH_NIBBLES ^ ZEROS);
        return Long.numberOfTrailingZeros(notDigit) >>> 3;
    }

    /** The value of the word's first {@code n} bytes (1 to 8), all digits. */
    static long digits(long word, int n) {
        assert n >= 1 && n <= Long.BYTES : n; // a shift by 64 would be a shift by 0
        long v = word << ((Long.BYTES - n) << 3); // the n digits to the top, zeros below: leading zeros
        v = (v & 0x0F0F0F0F0F0F0F0FL) * 2561 >>> 8; // pairs of digits: 10 * first + second
        v = (v & 0x00FF00FF00FF00FFL) * 6553601 >>> 16; // groups of four
        return (v & 0x0000FFFF0000FFFFL) * 42949672960001L >>> 32; // all eight
    }

    /**
     * How many of the word's bytes, from its first, are plain characters of a JSON string: printable
     * ASCII other than the space, {@code "} and {@code \} (0 to 8).
     */
    static int leadingPlain(long word) {
        // Each test flags the first byte it matches exactly; borrows and carries only ever reach
        // bytes above a flagged one.
        long low = (word - BELOW_PRINTABLE) & ~word & HIGH_BITS; // 0x00 to 0x20
        long high = ((word + ONES) | word) & HIGH_BITS; // 0x7f to 0xff
        long special = low | high | zeroBytes(word ^ QUOTES) | zeroBytes(word ^ BACKSLASHES);
        return Long.numberOfTrailingZeros(special) >>> 3;
    }

    private static long zeroBytes(long word) {
        return (word - ONES) & ~word & HIGH_BITS;
    }
}
