package io.tickstock.examples;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When an example stops: after {@code --ticks N} ticks, after {@code --seconds T}, or (neither given)
 * when the process is interrupted with Ctrl-C. Thread-safe: {@link #tick()} is called from feed threads.
 */
public final class StopAfter {
    private final long maxTicks;
    private final Duration maxTime;
    private final AtomicLong ticks = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);

    public StopAfter(long maxTicks, Duration maxTime) {
        this.maxTicks = maxTicks;
        this.maxTime = maxTime;
    }

    /** The options {@link #parse} accepts, for usage lines. */
    public static final String SYNOPSIS = "[--ticks N] [--seconds T] [--help]";

    /**
     * Reads {@code --ticks N} (a positive whole number) and {@code --seconds T} (a positive number).
     *
     * @throws CommandLine.UsageException for anything else, a missing or a bad value
     * @throws CommandLine.HelpRequested  for {@code --help} or {@code -h}
     */
    public static StopAfter parse(String[] args) {
        long ticks = Long.MAX_VALUE;
        Duration time = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            CommandLine.checkHelp(a);
            if (!a.equals("--ticks") && !a.equals("--seconds")) {
                throw new CommandLine.UsageException("Unknown argument: " + a);
            }
            if (i + 1 >= args.length) {
                throw new CommandLine.UsageException(a + " needs a value");
            }
            String v = args[++i];
            if (a.equals("--ticks")) {
                ticks = positiveLong(a, v);
            } else {
                time = Duration.ofMillis(positiveMillis(a, v));
            }
        }
        return new StopAfter(ticks, time);
    }

    private static long positiveLong(String option, String v) {
        try {
            long n = Long.parseLong(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.UsageException(option + " needs a positive whole number, not '" + v + "'");
    }

    private static long positiveMillis(String option, String v) {
        try {
            double s = Double.parseDouble(v);
            if (s > 0 && s <= Long.MAX_VALUE / 1000.0) {
                return Math.max(1, (long) (s * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.UsageException(option + " needs a positive number of seconds, not '" + v + "'");
    }

    /** The time limit, or null when there is none. */
    public Duration maxTime() {
        return maxTime;
    }

    /** Counts one tick; returns false once the limit is reached (later ticks should be ignored). */
    public boolean tick() {
        long n = ticks.incrementAndGet();
        if (n >= maxTicks) {
            done.countDown();
        }
        return n <= maxTicks;
    }

    /**
     * Counts one tick and, while under the limit, runs {@code work} for it; the limit releases
     * {@link #await()} only after the last tick's work is done, so nothing is printed after the
     * caller's summary. For work done on one thread (a bus subscriber, a Redis listener).
     */
    public void tick(Runnable work) {
        long n = ticks.incrementAndGet();
        if (n <= maxTicks) {
            work.run();
            if (n == maxTicks) {
                done.countDown();
            }
        }
    }

    /** Ticks counted up to the limit: what the example handled (printed, published …). */
    public long handled() {
        return Math.min(ticks.get(), maxTicks);
    }

    /** Ticks counted so far (may exceed the limit by the ticks that arrived while stopping). */
    public long ticks() {
        return ticks.get();
    }

    /** Stops waiting now (e.g. on an error). */
    public void stop() {
        done.countDown();
    }

    /** Blocks until the tick limit or the time limit is reached, or forever when neither is set. */
    public void await() throws InterruptedException {
        if (maxTime == null) {
            done.await();
        } else {
            done.await(maxTime.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public String toString() {
        String t = maxTicks == Long.MAX_VALUE ? null : maxTicks + " ticks";
        String s = maxTime == null ? null : maxTime.toMillis() / 1000.0 + " s";
        if (t == null && s == null) {
            return "until Ctrl-C";
        }
        return "after " + (t == null ? s : s == null ? t : t + " or " + s);
    }
}
