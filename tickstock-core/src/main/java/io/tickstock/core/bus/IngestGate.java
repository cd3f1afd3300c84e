package io.tickstock.core.bus;

import io.tickstock.core.health.HealthContributor;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets the one sink that can fall behind (the Redis publisher) ask the feeds to read more slowly for a
 * short, bounded time instead of dropping ticks. A feed server keeps what a client has not read yet
 * (Massive buffers per connection and sends only as fast as the client reads), so a burst the sink
 * cannot take at once waits there, not in this process's memory, and nothing is lost.
 *
 * <p>The holder calls {@link #hold()} when its backlog is nearly full and {@link #release()} once it
 * has drained. Feeds check {@link #isOpen()} after each frame; while the gate is held they stop reading
 * and resume when a {@linkplain #addResumeListener resume listener} tells them. A hold never lasts
 * longer than {@code maxPause}: then the gate opens by itself and stays open (further holds are
 * ignored) until the holder's next {@link #release()}, so a sink that stopped draining (Redis down or
 * stalled) costs the feeds one pause, after which it drops and counts ticks as before. A zero
 * {@code maxPause} never holds.
 *
 * <p>Thread-safe. One holder per gate: a release by anyone opens it. Listeners are called without any
 * lock held, on the thread that opened the gate (the holder's, or the scheduler's when a hold expires);
 * they must only hand the resumption to the feed's own thread.
 */
public final class IngestGate implements HealthContributor {
    private static final int OPEN = 0;
    private static final int HELD = 1;
    /** A hold ran out: open, and deaf to holds until the holder releases. */
    private static final int EXPIRED = 2;

    private final long maxPauseNanos;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;
    private final AtomicInteger state = new AtomicInteger(OPEN);
    private final CopyOnWriteArrayList<Runnable> resumeListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong holds = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong heldNanos = new AtomicLong();
    private final AtomicLong listenerErrors = new AtomicLong();
    private volatile long heldSince;
    private volatile ScheduledFuture<?> expiry;

    /**
     * A gate whose holds last at most {@code maxPause} (zero: never holds), timed on {@code scheduler}
     * and {@code nanoTime} (a gateway's shared resources, so tests drive the clock).
     */
    public IngestGate(Duration maxPause, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        if (maxPause.isNegative()) {
            throw new IllegalArgumentException("maxPause must not be negative: " + maxPause);
        }
        this.maxPauseNanos = maxPause.toNanos();
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Feeds, after each frame: false while held (stop reading until a resume listener says so). */
    public boolean isOpen() {
        return state.get() != HELD;
    }

    /** Holder: the backlog is nearly full. Closes the gate unless it is held, or its last hold ran out unreleased. */
    public void hold() {
        if (maxPauseNanos == 0 || state.get() != OPEN) {
            return;
        }
        heldSince = nanoTime.getAsLong(); // before the hold is visible: a release right after it reads it
        if (!state.compareAndSet(OPEN, HELD)) {
            return; // another thread held it a moment ago (its start time barely differs)
        }
        long hold = holds.incrementAndGet();
        ScheduledFuture<?> f;
        try {
            f = scheduler.schedule(() -> expire(hold), maxPauseNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) { // the scheduler is shut down: no hold without its end
            if (state.compareAndSet(HELD, OPEN)) {
                opened();
            }
            return;
        }
        expiry = f;
        if (state.get() != HELD) {
            f.cancel(false); // released (or expired) meanwhile
        }
    }

    /** Holder: the backlog has drained. Opens the gate and makes it answer holds again. */
    public void release() {
        int s = state.get();
        if (s == OPEN) {
            return;
        }
        if (s == EXPIRED) {
            state.compareAndSet(EXPIRED, OPEN);
            return;
        }
        if (state.compareAndSet(HELD, OPEN)) {
            ScheduledFuture<?> f = expiry;
            if (f != null) {
                f.cancel(false);
            }
            opened();
        }
    }

    /** Scheduler: hold number {@code hold} ran out, unless it was released (a later hold has its own expiry). */
    private void expire(long hold) {
        if (holds.get() == hold && state.compareAndSet(HELD, EXPIRED)) {
            expired.incrementAndGet();
            opened();
        }
    }

    private void opened() {
        heldNanos.addAndGet(nanoTime.getAsLong() - heldSince);
        for (Runnable r : resumeListeners) {
            try {
                r.run();
            } catch (RuntimeException e) { // e.g. a closed connection's event loop: the others still resume
                listenerErrors.incrementAndGet();
            }
        }
    }

    /** A feed connection's resumption, called each time the gate opens after a hold; remove it when the connection ends. */
    public void addResumeListener(Runnable resume) {
        resumeListeners.add(Objects.requireNonNull(resume, "resume"));
    }

    /** Forgets a listener added by {@link #addResumeListener}. */
    public void removeResumeListener(Runnable resume) {
        resumeListeners.remove(resume);
    }

    /** The longest a hold lasts; zero: the gate never holds. */
    public Duration maxPause() {
        return Duration.ofNanos(maxPauseNanos);
    }

    /** Holds so far. */
    public long holds() {
        return holds.get();
    }

    /** Holds that ran out before the holder released them (the holder then dropped ticks, counted by it). */
    public long expired() {
        return expired.get();
    }

    /** Total time the gate has been held, over all finished holds. */
    public Duration heldTotal() {
        return Duration.ofNanos(heldNanos.get());
    }

    @Override
    public String healthName() {
        return "ingest_gate";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("held", !isOpen());
        m.put("holds", holds());
        m.put("expired", expired());
        m.put("held_ms", heldTotal().toMillis());
        m.put("max_pause_ms", maxPause().toMillis());
        m.put("resume_errors", listenerErrors.get());
        return m;
    }
}
