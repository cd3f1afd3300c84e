package io.tickstock.feed.massive;

import io.netty.channel.EventLoop;
import io.tickstock.core.resources.TickStockResources;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection's timers: they wait on the scheduler of the shared {@link TickStockResources} (so
 * the resources' clock, manual in tests, decides when they are due) and run their task on the
 * connection's event loop, which owns its state. A timer cancelled on the loop never runs, even if
 * it was already due and on its way.
 */
final class LoopTimers {
    private final TickStockResources resources;
    private final EventLoop loop;

    LoopTimers(TickStockResources resources, EventLoop loop) {
        this.resources = resources;
        this.loop = loop;
    }

    /** Monotonic nanoseconds of the resources' clock. */
    long nanoTime() {
        return resources.nanoTime();
    }

    /** Runs {@code task} on the loop once, after {@code delayMillis}. */
    Timer once(Runnable task, long delayMillis) {
        Timer t = new Timer(task);
        try {
            t.waiting = resources.scheduler().schedule(t::fire, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            t.cancelled = true; // the resources are closed: the gateway is stopping
        }
        return t;
    }

    /** Runs {@code task} on the loop every {@code periodMillis}, the first time after one period. */
    Timer every(Runnable task, long periodMillis) {
        Timer t = new Timer(task);
        try {
            t.waiting = resources.scheduler().scheduleAtFixedRate(t::fire, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            t.cancelled = true;
        }
        return t;
    }

    /** One scheduled task; cancel it on the loop. */
    final class Timer {
        private final Runnable task;
        private volatile ScheduledFuture<?> waiting;
        private volatile boolean cancelled;

        private Timer(Runnable task) {
            this.task = task;
        }

        private void fire() {
            if (cancelled) {
                return;
            }
            try {
                loop.execute(() -> {
                    if (!cancelled) { // cancelled on the loop after it fired: it must not run
                        task.run();
                    }
                });
            } catch (RejectedExecutionException e) {
                cancel(); // the loop is shut down
            }
        }

        void cancel() {
            cancelled = true;
            ScheduledFuture<?> w = waiting;
            if (w != null) {
                w.cancel(false);
            }
        }
    }
}
