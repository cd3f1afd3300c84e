package io.tickstock.core.internal.dedup;

/**
 * The sequence windows of one (event type, symbol) for the current trading session and the one
 * before it, so that a restart of the sequence at a new session never looks like a late
 * duplicate, and a straggler of yesterday's session is still checked against yesterday. Not
 * thread-safe; its owner locks it.
 */
final class SessionSequences {
    private SequenceWindow current;
    private SequenceWindow previous;
    private long day = Long.MIN_VALUE;
    private long previousDay = Long.MIN_VALUE;
    /** US/Eastern bounds of {@link #day}: events inside need no date arithmetic. */
    private long dayStart;
    private long dayEnd;
    /** Set by {@link #accept} when the event opened a new session after an earlier one. */
    boolean restarted;

    SequenceWindow.Verdict accept(long seq, long eventMillis) {
        restarted = false;
        if (current == null || eventMillis < dayStart || eventMillis >= dayEnd) {
            long d = TradingDate.of(eventMillis);
            if (current == null || d > day) {
                startSession(d);
            } else if (d < day) {
                return d == previousDay && previous != null ? previous.accept(seq) : SequenceWindow.Verdict.LATE;
            }
        }
        return current.accept(seq);
    }

    private void startSession(long d) {
        restarted = current != null;
        SequenceWindow reuse = previous;
        previous = current;
        previousDay = day;
        current = reuse != null ? reuse.clear() : new SequenceWindow();
        day = d;
        dayStart = TradingDate.startMillis(d);
        dayEnd = TradingDate.startMillis(d + 1);
    }
}
