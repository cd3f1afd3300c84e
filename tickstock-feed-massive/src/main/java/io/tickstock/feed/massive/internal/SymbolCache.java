package io.tickstock.feed.massive.internal;

import java.nio.charset.StandardCharsets;

/**
 * Returns the same String instance for the same short text, so that decoding a symbol or an event
 * type does not allocate once the cache is warm. Fixed size, never grows: a string lives in one of
 * {@value #WAYS} neighbouring slots of its hash; when all are taken, one of them is replaced and the
 * replacement counted. Both decode paths use it (chars from Jackson, ASCII bytes straight from the
 * frame) and hash alike, so they share instances. Not thread-safe: one per decoder.
 *
 * <p>Text of one to eight ASCII characters (nearly every ticker) is also kept packed into a long beside
 * its slot, so a hit compares one long and never reads the String or its bytes: those are seldom in
 * the CPU's cache when the symbol's next event comes, and reading them was most of this cache's cost.
 */
final class SymbolCache {
    /** The most strings it ever holds, whatever the feed sends (about three times the US market's tickers). */
    static final int SLOTS = 32_768;
    private static final int SHIFT = Integer.numberOfLeadingZeros(SLOTS) + 1;
    /** Slots probed per lookup: enough that a whole market's tickers do not evict one another. */
    private static final int WAYS = 8;
    private static final int MAX_LENGTH = 16;
    /** No text packs to zero: packing needs at least one character, and each is 1 to 0x7f. */
    private static final long UNPACKED = 0;
    private final String[] strings = new String[SLOTS];
    /** Each slot's hash, compared before the text. */
    private final int[] hashes = new int[SLOTS];
    /** Each slot's text packed by {@link #pack}, or {@link #UNPACKED}: then compared through the String. */
    private final long[] packed = new long[SLOTS];
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
        long key = pack(chars, offset, length);
        int base = slot(h);
        for (int w = 0; w < WAYS; w++) {
            int slot = (base + w) & (SLOTS - 1);
            String s = strings[slot];
            if (s == null) {
                return store(slot, h, key, new String(chars, offset, length));
            }
            if (key != UNPACKED ? packed[slot] == key
                    : hashes[slot] == h && packed[slot] == UNPACKED && same(s, chars, offset, length)) {
                return s;
            }
        }
        return evict(base, h, key, new String(chars, offset, length));
    }

    /** As {@link #get(char[], int, int)} for text the caller checked is printable ASCII. */
    String getAscii(byte[] bytes, int offset, int length) {
        return lookup(bytes, offset, length, null);
    }

    /**
     * Makes {@code s} the instance returned for its text from now on (unless later evicted). The
     * client seeds the tickers it subscribes, so decoded symbols are the very Strings the rest of
     * the gateway keys its maps by: a lookup then matches on identity instead of comparing text.
     */
    void seed(String s) {
        if (s.length() <= MAX_LENGTH && s.chars().allMatch(c -> c <= 0xff)) { // else never held
            byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
            lookup(bytes, 0, bytes.length, s);
        }
    }

    /** The held String for these bytes (one char each); {@code seed}, when given, replaces or becomes it. */
    private String lookup(byte[] bytes, int offset, int length, String seed) {
        if (length > MAX_LENGTH) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        int h = 0;
        long key = 0;
        boolean packable = length >= 1 && length <= Long.BYTES;
        for (int i = 0; i < length; i++) {
            int b = bytes[offset + i] & 0xff;
            h = 31 * h + b;
            key = key << 8 | b;
            packable &= b != 0 && b <= 0x7f;
        }
        if (!packable) {
            key = UNPACKED;
        }
        int base = slot(h);
        for (int w = 0; w < WAYS; w++) {
            int slot = (base + w) & (SLOTS - 1);
            String s = strings[slot];
            if (s == null) {
                return store(slot, h, key, seed != null ? seed : new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
            }
            if (key != UNPACKED ? packed[slot] == key
                    : hashes[slot] == h && packed[slot] == UNPACKED && same(s, bytes, offset, length)) {
                return seed != null ? store(slot, h, key, seed) : s;
            }
        }
        return evict(base, h, key, seed != null ? seed : new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
    }

    private static int slot(int h) {
        return (h * 0x9E3779B9) >>> SHIFT; // Fibonacci hashing spreads similar tickers apart
    }

    /**
     * Text of 1 to 8 characters, each 1 to 0x7f, as the long of its characters one per byte (so two
     * texts are equal exactly when their keys are); anything else {@link #UNPACKED}.
     */
    private static long pack(char[] chars, int offset, int length) {
        if (length < 1 || length > Long.BYTES) {
            return UNPACKED;
        }
        long key = 0;
        for (int i = 0; i < length; i++) {
            char c = chars[offset + i];
            if (c == 0 || c > 0x7f) {
                return UNPACKED;
            }
            key = key << 8 | c;
        }
        return key;
    }

    private String store(int slot, int h, long key, String s) {
        strings[slot] = s;
        hashes[slot] = h;
        packed[slot] = key;
        return s;
    }

    private String evict(int base, int h, long key, String s) {
        evictions++;
        victim = (victim + 1) & (WAYS - 1);
        return store((base + victim) & (SLOTS - 1), h, key, s);
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
