package io.tickstock.core.internal.dedup;

import java.util.Arrays;

/**
 * The recent sequence numbers of one (event type, symbol) within one trading session: a bitmap
 * {@link #WIDTH} wide below the highest sequence seen. Not thread-safe; its owner locks it.
 */
final class SequenceWindow {
    /**
     * How far behind the newest sequence an event can still be told apart from a duplicate. Two
     * connections carrying one ticker see the same stream, so one lagging the other by more than
     * this many sequence numbers only delivers copies.
     */
    static final int WIDTH = 1024;

    private final long[] bits = new long[WIDTH / 64];
    private long max = -1;

    enum Verdict {
        /** Newer than anything seen: deliver. */
        NEW,
        /** Not seen before but behind a newer one: deliver, count as out of order. */
        OUT_OF_ORDER,
        /** Seen before: drop. */
        DUPLICATE,
        /** Further behind the newest than the window reaches: drop. */
        LATE
    }

    Verdict accept(long seq) {
        if (seq > max) {
            advanceTo(seq);
            return Verdict.NEW;
        }
        long behind = max - seq;
        if (behind >= WIDTH || behind < 0) { // < 0: the subtraction overflowed, far behind indeed
            return Verdict.LATE;
        }
        int i = (int) (seq & (WIDTH - 1));
        long mask = 1L << (i & 63);
        if ((bits[i >>> 6] & mask) != 0) {
            return Verdict.DUPLICATE;
        }
        bits[i >>> 6] |= mask;
        return Verdict.OUT_OF_ORDER;
    }

    /** Forgets everything, for reuse in a new session. */
    SequenceWindow clear() {
        Arrays.fill(bits, 0);
        max = -1;
        return this;
    }

    private void advanceTo(long seq) {
        if (max < 0 || seq - max >= WIDTH) {
            Arrays.fill(bits, 0);
        } else {
            for (long s = max + 1; s < seq; s++) {
                int i = (int) (s & (WIDTH - 1));
                bits[i >>> 6] &= ~(1L << (i & 63));
            }
        }
        int i = (int) (seq & (WIDTH - 1));
        bits[i >>> 6] |= 1L << (i & 63);
        max = seq;
    }
}
