package io.tickstock.core.connection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The one owner of placement: runs control tasks one at a time, in submission order, on whichever
 * thread submits while no other task runs. Callers of the manager's API submit from their own
 * thread; everything else (timers, and continuations of client futures such as subscribe
 * acknowledgements, which complete on the feed's I/O threads) first hops to the control thread
 * (the resources' scheduler), so no control task ever runs on an I/O thread and a test's manual
 * scheduler drives them all. Placement changes and the client calls that carry them out run
 * inside one task, so the clients see calls in the order the assignment changed. No lock is held
 * while a task runs.
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
    private final ScheduledExecutorService controlThread;

    /** @param controlThread the serial scheduler that timers and continuations hop to before queueing */
    ControlQueue(ScheduledExecutorService controlThread) {
        this.controlThread = Objects.requireNonNull(controlThread, "controlThread");
    }

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

    /**
     * Queues {@code task} from the control thread rather than the caller's: for continuations
     * that complete on a client's I/O thread. Once the control thread is shut down (the manager
     * closed) the task runs through {@link #execute} at once, so the futures it completes still complete.
     */
    void executeLater(Runnable task) {
        try {
            controlThread.execute(() -> execute(task));
        } catch (RejectedExecutionException e) {
            execute(task);
        }
    }

    /**
     * Runs {@code then} as a control task, handed over through the control thread, once
     * {@code ack} completes or {@code timeout} passes on the control thread's clock (then with a
     * {@link TimeoutException}). The client's future itself is left alone.
     */
    <T> void whenAcknowledged(CompletableFuture<T> ack, Duration timeout, BiConsumer<? super T, Throwable> then) {
        CompletableFuture<T> bounded = new CompletableFuture<>();
        ScheduledFuture<?> timer;
        try {
            timer = controlThread.schedule(() -> bounded.completeExceptionally(
                    new TimeoutException("not acknowledged within " + timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            timer = null; // closed: the acknowledgement or nothing
        }
        ScheduledFuture<?> cancel = timer;
        bounded.whenComplete((value, error) -> {
            if (cancel != null) {
                cancel.cancel(false);
            }
            executeLater(() -> then.accept(value, error));
        });
        ack.whenComplete((value, error) -> {
            if (error != null) {
                bounded.completeExceptionally(error);
            } else {
                bounded.complete(value);
            }
        });
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
