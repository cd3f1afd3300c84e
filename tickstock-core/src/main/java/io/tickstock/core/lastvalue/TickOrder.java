package io.tickstock.core.lastvalue;

/**
 * The one ordering rule of the last-value hand-over: for one symbol and event type, a tick is newer
 * than another when its exchange timestamp is later, or equal with a higher sequence ({@code q}).
 * The timestamp comes first because {@code q} restarts every trading session while the timestamp
 * keeps rising, so a new session's small {@code q} still counts as newer.
 */
public final class TickOrder {
    private TickOrder() {
    }

    /**
     * True when a tick at ({@code timestamp}, {@code sequence}) comes after the reference point: a
     * consumer that starts from a snapshot keeps the live ticks for which this holds and drops the rest.
     */
    public static boolean isAfter(long timestamp, long sequence, long refTimestamp, long refSequence) {
        return timestamp > refTimestamp || (timestamp == refTimestamp && sequence > refSequence);
    }
}
