package io.tickstock.core.connection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The one owner of placement: runs control tasks one at a time, in submission order, on whichever
 * thread submits while no other task runs (timers submit from the scheduler thread). Placement
 * changes and the client calls that carry them out run inside one task, so the clients see calls
 * in the order the assignment changed. No lock is held while a task runs.
 *
 * <p>The queue holds what callers submit: synchronous callers wait for their task, and timers and
 * acknowledgements add at most a few tasks per connection status change or move. It is still bounded
 * ({@link #CAPACITY}): a task beyond it is refused with {@link RejectedExecutionException}, counted
 * and logged, rather than letting a runaway producer take the heap.
 */
final class ControlQueue implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(MultiConnectionManager.class); // the manager's parts log as the manager, as operators know it

    /** Far above anything operators, timers and acknowledgements queue at once. */
    static final int CAPACITY = 100_000;

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final AtomicReference<Thread> runner = new AtomicReference<>();

    @Override
    public void execute(Runnable task) {
        if (queued.incrementAndGet() > CAPACITY) {
            queued.decrementAndGet();
            refused.increment();
            LOG.error("control queue full ({} tasks): a task was refused", CAPACITY);
            throw new RejectedExecutionException("control queue full (" + CAPACITY + " tasks)");
        }
        tasks.add(task);
        drain();
    }

    /** Tasks refused because the queue was full. */
    long refused() {
        return refused.sum();
    }

    /**
     * Runs {@code task} in order and returns its result; runs it at once when called from a control
     * task (it is already in order there). Exceptions of the task reach the caller.
     */
    <T> T call(Supplier<T> task) {
        if (inControl()) {
            return task.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    boolean inControl() {
        return runner.get() == Thread.currentThread();
    }

    private void drain() {
        // re-check after letting go: a task added between the last poll and the release is not stranded
        while (!tasks.isEmpty() && runner.compareAndSet(null, Thread.currentThread())) {
            try {
                Runnable next;
                while ((next = tasks.poll()) != null) {
                    queued.decrementAndGet();
                    try {
                        next.run();
                    } catch (RuntimeException e) {
                        LOG.error("control task failed", e); // one failure must not stop the ones queued behind it
                    }
                }
            } finally {
                runner.set(null);
            }
        }
    }
}
