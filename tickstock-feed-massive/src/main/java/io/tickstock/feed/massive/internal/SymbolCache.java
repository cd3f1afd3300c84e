package io.tickstock.feed.massive.internal;

import java.nio.charset.StandardCharsets;

/**
 * Returns the same String instance for the same short text, so that decoding a symbol or an event
 * type does not allocate once the cache is warm. Fixed size, never grows: a string lives in one of
 * {@value #WAYS} neighbouring slots of its hash; when all are taken, one of them is replaced and the
 * replacement counted. Both decode paths use it (chars from Jackson, ASCII bytes straight from the
 * frame) and hash alike, so they share instances. Not thread-safe: one per decoder.
 */
final class SymbolCache {
    /** The most strings it ever holds, whatever the feed sends (about three times the US market's tickers). */
    static final int SLOTS = 32_768;
    private static final int SHIFT = Integer.numberOfLeadingZeros(SLOTS) + 1;
    /** Slots probed per lookup: enough that a whole market's tickers do not evict one another. */
    private static final int WAYS = 8;
    private static final int MAX_LENGTH = 16;
    private final String[] strings = new String[SLOTS];
    /** Each slot's hash, compared before the text. */
    private final int[] hashes = new int[SLOTS];
    private int victim;
    private long evictions;

    String get(char[] chars, int offset, int length) {
        if (length > MAX_LENGTH) {
            return new String(chars, offset, length);
        }
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + chars[offset + i];
        }
        int base = slot(h);
        for (int w = 0; w < WAYS; w++) {
            int slot = (base + w) & (SLOTS - 1);
            String s = strings[slot];
            if (s == null) {
                return store(slot, h, new String(chars, offset, length));
            }
            if (hashes[slot] == h && same(s, chars, offset, length)) {
                return s;
            }
        }
        return evict(base, h, new String(chars, offset, length));
    }

    /** As {@link #get(char[], int, int)} for text the caller checked is printable ASCII. */
    String getAscii(byte[] bytes, int offset, int length) {
        if (length > MAX_LENGTH) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + (bytes[offset + i] & 0xff);
        }
        int base = slot(h);
        for (int w = 0; w < WAYS; w++) {
            int slot = (base + w) & (SLOTS - 1);
            String s = strings[slot];
            if (s == null) {
                return store(slot, h, new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
            }
            if (hashes[slot] == h && same(s, bytes, offset, length)) {
                return s;
            }
        }
        return evict(base, h, new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
    }

    private static int slot(int h) {
        return (h * 0x9E3779B9) >>> SHIFT; // Fibonacci hashing spreads similar tickers apart
    }

    private String store(int slot, int h, String s) {
        strings[slot] = s;
        hashes[slot] = h;
        return s;
    }

    private String evict(int base, int h, String s) {
        evictions++;
        victim = (victim + 1) & (WAYS - 1);
        return store((base + victim) & (SLOTS - 1), h, s);
    }

    private static boolean same(String s, byte[] bytes, int offset, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != (bytes[offset + i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(String s, char[] chars, int offset, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** Strings held now (at most {@link #SLOTS}). */
    int size() {
        int n = 0;
        for (String s : strings) {
            if (s != null) {
                n++;
            }
        }
        return n;
    }

    /** Strings replaced because every slot for their hash was taken (each costs a new String later). */
    long evictions() {
        return evictions;
    }
}
