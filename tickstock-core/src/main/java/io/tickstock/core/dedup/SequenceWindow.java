package io.tickstock.core.dedup;

/**
 * The recent sequence numbers of one (event type, symbol): a 256-wide bitmap below the highest
 * sequence seen. Not thread-safe; {@link EventDeduplicator} locks it.
 */
final class SequenceWindow {
    static final int WIDTH = 256;
    /** Further back than this is taken as a restart of the sequence (a new day), not a late duplicate. */
    static final long RESTART_DISTANCE = 1_000_000;

    private final long[] bits = new long[WIDTH / 64];
    private long max = -1;
    long events;
    long gaps;
    long lastSeenMillis;

    enum Verdict { NEW, DUPLICATE, LATE }

    Verdict accept(long seq, boolean dense, long nowMillis) {
        lastSeenMillis = nowMillis;
        if (max < 0 || seq > max) {
            if (dense && max >= 0 && seq > max + 1) {
                gaps++;
            }
            advanceTo(seq);
            events++;
            return Verdict.NEW;
        }
        long behind = max - seq;
        if (behind >= RESTART_DISTANCE) {
            java.util.Arrays.fill(bits, 0);
            max = -1;
            advanceTo(seq);
            events++;
            return Verdict.NEW;
        }
        if (behind >= WIDTH) {
            return Verdict.LATE;
        }
        int i = (int) (seq & (WIDTH - 1));
        long mask = 1L << (i & 63);
        if ((bits[i >>> 6] & mask) != 0) {
            return Verdict.DUPLICATE;
        }
        bits[i >>> 6] |= mask; // an out-of-order event not seen before
        events++;
        return Verdict.NEW;
    }

    private void advanceTo(long seq) {
        if (max < 0 || seq - max >= WIDTH) {
            java.util.Arrays.fill(bits, 0);
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
