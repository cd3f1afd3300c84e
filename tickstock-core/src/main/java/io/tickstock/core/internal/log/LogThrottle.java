package io.tickstock.core.internal.log;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one log line through per interval and counts the ones it holds back, so a fault that repeats
 * thousands of times a second costs a few lines a minute and the lines that do appear say how many
 * were summarised. Thread-safe and lock-free.
 */
public final class LogThrottle {
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong nextAllowed;

    /**
     * @param interval  the least time between two lines that are let through
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
     */
    public LogThrottle(Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.nextAllowed = new AtomicLong(nanoClock.getAsLong());
    }

    /** One line per {@code interval} on the system clock. */
    public static LogThrottle every(Duration interval) {
        return new LogThrottle(interval, System::nanoTime);
    }

    /**
     * Asks to log one line now. Returns -1 when the line must be skipped (it is counted); otherwise
     * the number of lines skipped since the last one that was let through (0 when none).
     */
    public long tryAcquire() {
        long now = nanoClock.getAsLong();
        long next = nextAllowed.get();
        if (now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }

    /** Lines held back since the last one that was let through. */
    public long suppressed() {
        return suppressed.get();
    }
}
