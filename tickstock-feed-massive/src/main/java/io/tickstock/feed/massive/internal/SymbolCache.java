package io.tickstock.feed.massive.internal;

/**
 * Returns the same String instance for the same short text, so that decoding a symbol or an event
 * type does not allocate once the cache is warm. Direct-mapped, fixed size: a collision replaces the
 * slot (never grows). Not thread-safe: one per decoder.
 */
final class SymbolCache {
    /** The most strings it ever holds, whatever the feed sends. */
    static final int SLOTS = 8_192;
    private static final int MAX_LENGTH = 16;
    private final String[] strings = new String[SLOTS];

    String get(char[] chars, int offset, int length) {
        if (length > MAX_LENGTH) {
            return new String(chars, offset, length);
        }
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + chars[offset + i];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String s = strings[slot];
        if (s != null && s.length() == length) {
            boolean same = true;
            for (int i = 0; i < length; i++) {
                if (s.charAt(i) != chars[offset + i]) {
                    same = false;
                    break;
                }
            }
            if (same) {
                return s;
            }
        }
        s = new String(chars, offset, length);
        strings[slot] = s;
        return s;
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
}
