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

    /** Reads {@code --ticks N} and {@code --seconds T} from {@code args}; other arguments are ignored. */
    public static StopAfter parse(String[] args) {
        long ticks = Long.MAX_VALUE;
        Duration time = null;
        for (int i = 0; i + 1 < args.length; i++) {
            switch (args[i]) {
                case "--ticks" -> ticks = Long.parseLong(args[++i]);
                case "--seconds" -> time = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                default -> { }
            }
        }
        return new StopAfter(ticks, time);
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
