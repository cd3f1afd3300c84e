package io.tickstock.redis;

/**
 * The quoted bytes of recently written strings (connection ids, sources: a handful of distinct
 * instances repeated on every tick), so that a hit costs one identity compare and a copy. Fixed size,
 * direct-mapped by the string's hash: a new string replaces whichever one shared its slot, so no input
 * can make it grow. Not thread-safe.
 */
final class QuotedStrings {
    private final String[] keys;
    private final byte[][] values; // null: the string needs Jackson's escaping
    private final int mask;

    /** @param size slots, a power of two */
    QuotedStrings(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two: " + size);
        }
        keys = new String[size];
        values = new byte[size][];
        mask = size - 1;
    }

    /** {@code s} quoted as JSON ({@code null} for null), or null when it needs escaping. */
    byte[] quoted(String s) {
        if (s == null) {
            return JsonBytes.quoted(null);
        }
        int i = s.hashCode() & mask;
        if (keys[i] != s) { // identity: equal strings of other instances just take the slot
            values[i] = JsonBytes.quoted(s);
            keys[i] = s;
        }
        return values[i];
    }
}
