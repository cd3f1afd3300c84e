package io.tickstock.feed.massive.internal;

import org.slf4j.Logger;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs unexpected exceptions (bugs, not bad input) once per kind with the stack trace, then only
 * counts them, so that a bug on a hot path is visible without flooding the log. The kinds are
 * bounded: exception class plus the throwing frame is code, not feed input, and capped anyway.
 */
public final class FailureLog {
    private static final int MAX_KINDS = 256;

    private final Logger log;
    private final String connectionId;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicLong count = new AtomicLong();

    public FailureLog(Logger log, String connectionId) {
        this.log = log;
        this.connectionId = connectionId;
    }

    /** Counts {@code failure}; logs it with its stack when its kind is new. */
    public void report(String what, Throwable failure) {
        long n = count.incrementAndGet();
        if (seen.size() < MAX_KINDS && seen.add(kind(failure))) {
            log.error("{}: {} (internal error #{}; later ones of this kind are only counted)", connectionId, what, n,
                    failure);
        }
    }

    /** Unexpected exceptions so far. */
    public long count() {
        return count.get();
    }

    private static String kind(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        return t.getClass().getName() + (st.length == 0 ? "" : "@" + st[0]);
    }
}
