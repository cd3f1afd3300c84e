package io.tickstock.core.resources;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Time and the control thread, shared by the components of one gateway (in the spirit of
 * Lettuce's {@code ClientResources}): a wall {@link Clock}, a monotonic nanosecond source for
 * intervals, and a {@link ScheduledExecutorService} on which components run their timers and
 * serial control work. Tests pass a manual clock and scheduler and drive time themselves.
 *
 * <p>Whoever creates a {@code TickStockResources} closes it. {@link #create()} owns its scheduler
 * and shuts it down on {@link #close()}; {@link #of} borrows the given scheduler and leaves it to
 * its owner. Components that receive resources never shut them down.
 */
public final class TickStockResources implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Clock clock;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;

    private TickStockResources(Clock clock, LongSupplier nanoTime, ScheduledExecutorService scheduler, boolean owns) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ownsScheduler = owns;
    }

    /** The system clock and a new single daemon thread ("tickstock-control-N"), owned and shut down on {@link #close()}. */
    public static TickStockResources create() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemon("tickstock-control-"));
        s.setRemoveOnCancelPolicy(true); // cancelled timers leave the queue at once
        s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return new TickStockResources(Clock.systemUTC(), System::nanoTime, s, true);
    }

    /**
     * Borrows {@code scheduler} (not shut down by {@link #close()}) and reads time from
     * {@code clock}; intervals are measured on the clock too, so a test clock drives them.
     * The scheduler must run tasks one at a time (components use it as their serial control thread).
     */
    public static TickStockResources of(Clock clock, ScheduledExecutorService scheduler) {
        return new TickStockResources(clock, () -> nanosOf(clock.instant()), scheduler, false);
    }

    /** The wall clock (UTC): timestamps, trading-day boundaries. */
    public Clock clock() {
        return clock;
    }

    /** Monotonic nanoseconds for intervals (staleness, delays); only differences are meaningful. */
    public long nanoTime() {
        return nanoTime.getAsLong();
    }

    /** The serial control thread: timers and ordered control work. Never block in its tasks. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Shuts the scheduler down when these resources own it; otherwise does nothing. */
    @Override
    public void close() {
        if (ownsScheduler) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long nanosOf(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static ThreadFactory daemon(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
