package io.tickstock.feed.massive.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Returns one shared immutable list per distinct set of condition codes, so that a trade's
 * conditions cost no allocation once seen: the feed uses a few dozen distinct sets. Fixed size,
 * never grows: once {@value #CAPACITY} sets are held, an unseen set gets a fresh list and is counted.
 * Not thread-safe: one per decoder.
 */
final class ConditionCache {
    /** The most sets it ever holds, whatever the feed sends. */
    static final int CAPACITY = 256;
    private static final int SLOTS = CAPACITY * 2; // open addressing, at most half full
    private static final List<Integer> NONE = List.of();
    /** Single codes 0..255 need no lookup: most trades carry none or one. */
    private static final List<List<Integer>> SINGLE = java.util.stream.IntStream.range(0, 256)
            .mapToObj(List::of).toList();

    private final int[][] keys = new int[SLOTS][];
    private final List<?>[] lists = new List<?>[SLOTS];
    private int size;
    private long notCached;

    /** The immutable list of {@code codes[0..n)}. */
    @SuppressWarnings("unchecked")
    List<Integer> get(int[] codes, int n) {
        if (n == 0) {
            return NONE;
        }
        if (n == 1 && codes[0] >= 0 && codes[0] < SINGLE.size()) {
            return SINGLE.get(codes[0]);
        }
        int h = 1;
        for (int i = 0; i < n; i++) {
            h = 31 * h + codes[i];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        while (keys[slot] != null) {
            if (Arrays.equals(keys[slot], 0, keys[slot].length, codes, 0, n)) {
                return (List<Integer>) lists[slot];
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        List<Integer> list = copy(codes, n);
        if (size < CAPACITY) {
            keys[slot] = Arrays.copyOf(codes, n);
            lists[slot] = list;
            size++;
        } else {
            notCached++;
        }
        return list;
    }

    private static List<Integer> copy(int[] codes, int n) {
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = codes[i];
        }
        return List.of(boxed);
    }

    /** Distinct sets held now (at most {@link #CAPACITY}). */
    int size() {
        return size;
    }

    /** Lookups of a set that was not held and did not fit: each allocated a fresh list. */
    long notCached() {
        return notCached;
    }
}
