package io.tickstock.core.testing;

import io.tickstock.core.resources.TickStockResources;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time that moves only when the test says so: a {@link Clock} and a {@link ScheduledExecutorService}
 * that runs tasks on the test's thread, in due order, from {@link #runPending()} and
 * {@link #advance(Duration)}. Submitted tasks are due at once but run only when the test pumps,
 * so a test decides exactly when the control thread "runs". Thread-safe: other threads may submit.
 */
public final class ManualTime {
    private final Object lock = new Object();
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long nowNanos;
    private long seq;
    private boolean shutdown;
    private final Clock clock;
    private final Scheduler scheduler = new Scheduler();

    /** Starts at {@code start} (UTC). */
    public ManualTime(Instant start) {
        this.nowNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
        this.clock = new ManualClock(ZoneOffset.UTC);
    }

    /** Starts at 2026-01-05T14:30:00Z (a Monday, mid-session). */
    public ManualTime() {
        this(Instant.parse("2026-01-05T14:30:00Z"));
    }

    public Clock clock() {
        return clock;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Resources over this clock and scheduler (borrowed: closing them does nothing). */
    public TickStockResources resources() {
        return TickStockResources.of(clock, scheduler);
    }

    public Instant now() {
        synchronized (lock) {
            return Instant.ofEpochSecond(0, nowNanos);
        }
    }

    /** Runs every task due now, including tasks they submit for now; returns how many ran. */
    public int runPending() {
        int ran = 0;
        while (true) {
            Task<?> t;
            synchronized (lock) {
                t = queue.peek();
                if (t == null || t.due > nowNanos) {
                    return ran;
                }
                queue.poll();
            }
            t.runOnce();
            ran++;
        }
    }

    /** Moves time forward step by step to each due task, running it at its time, then to {@code now + d}. */
    public void advance(Duration d) {
        long target;
        synchronized (lock) {
            target = nowNanos + d.toNanos();
        }
        while (true) {
            runPending();
            synchronized (lock) {
                Task<?> next = queue.peek();
                if (next == null || next.due > target) {
                    nowNanos = target;
                    break;
                }
                nowNanos = Math.max(nowNanos, next.due);
            }
        }
        runPending();
    }

    /** Tasks waiting (due or not). */
    public int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    private final class ManualClock extends Clock {
        private final ZoneId zone;

        ManualClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return new ManualClock(z);
        }

        @Override
        public Instant instant() {
            return now();
        }
    }

    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final long period; // 0: once; > 0: fixed rate; < 0: fixed delay
        final long order;
        long due;

        Task(Callable<V> c, long due, long period) {
            super(c);
            this.due = due;
            this.period = period;
            this.order = seq++;
        }

        void runOnce() {
            if (period == 0) {
                run();
                return;
            }
            if (runAndReset()) {
                synchronized (lock) {
                    if (!shutdown) {
                        due = period > 0 ? due + period : nowNanos - period;
                        queue.add(this);
                    }
                }
            }
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            boolean done = super.cancel(mayInterrupt);
            synchronized (lock) {
                queue.remove(this);
            }
            return done;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (lock) {
                return unit.convert(due - nowNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed o) {
            Task<?> t = (Task<?>) o;
            int c = Long.compare(due, t.due);
            return c != 0 ? c : Long.compare(order, t.order);
        }
    }

    private final class Scheduler extends AbstractExecutorService implements ScheduledExecutorService {
        private <V> Task<V> add(Callable<V> c, long delayNanos, long period) {
            synchronized (lock) {
                if (shutdown) {
                    throw new RejectedExecutionException("shut down");
                }
                Task<V> t = new Task<>(c, nowNanos + Math.max(0, delayNanos), period);
                queue.add(t);
                return t;
            }
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return add(java.util.concurrent.Executors.callable(command), unit.toNanos(delay), 0);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return add(callable, unit.toNanos(delay), 0);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            if (period <= 0) {
                throw new IllegalArgumentException("period");
            }
            return add(java.util.concurrent.Executors.callable(command), unit.toNanos(initialDelay), unit.toNanos(period));
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            if (delay <= 0) {
                throw new IllegalArgumentException("delay");
            }
            return add(java.util.concurrent.Executors.callable(command), unit.toNanos(initialDelay), -unit.toNanos(delay));
        }

        @Override
        public void execute(Runnable command) {
            add(java.util.concurrent.Executors.callable(command), 0, 0);
        }

        @Override
        public void shutdown() {
            synchronized (lock) {
                shutdown = true;
            }
        }

        @Override
        public List<Runnable> shutdownNow() {
            synchronized (lock) {
                shutdown = true;
                List<Runnable> left = new ArrayList<>(queue);
                queue.clear();
                return left;
            }
        }

        @Override
        public boolean isShutdown() {
            synchronized (lock) {
                return shutdown;
            }
        }

        @Override
        public boolean isTerminated() {
            return isShutdown();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return isShutdown();
        }
    }
}
