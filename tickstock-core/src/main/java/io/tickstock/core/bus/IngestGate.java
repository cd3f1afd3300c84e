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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
    /** The gate's state when no hold is in force. */
    private static final Object OPEN = new Object();
    /** A hold ran out: open, and deaf to holds until the holder releases. */
    private static final Object EXPIRED = new Object();

    /** One hold in force: the state while held, so that its start time and its expiry end with it. */
    private static final class Hold {
        final long since;
        volatile ScheduledFuture<?> expiry;

        Hold(long since) {
            this.since = since;
        }
    }

    private final long maxPauseNanos;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;
    /** {@link #OPEN}, {@link #EXPIRED} or the {@link Hold} in force. */
    private final AtomicReference<Object> state = new AtomicReference<>(OPEN);
    private final CopyOnWriteArrayList<Runnable> resumeListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong holds = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong heldNanos = new AtomicLong();
    private final AtomicLong listenerErrors = new AtomicLong();

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
        return !(state.get() instanceof Hold);
    }

    /** Holder: the backlog is nearly full. Closes the gate unless it is held, or its last hold ran out unreleased. */
    public void hold() {
        if (maxPauseNanos == 0 || state.get() != OPEN) {
            return;
        }
        Hold h = new Hold(nanoTime.getAsLong());
        if (!state.compareAndSet(OPEN, h)) {
            return; // another thread held it a moment ago
        }
        holds.incrementAndGet();
        ScheduledFuture<?> f;
        try {
            f = scheduler.schedule(() -> expire(h), maxPauseNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) { // the scheduler is shut down: no hold without its end
            if (state.compareAndSet(h, OPEN)) {
                opened(h);
            }
            return;
        }
        h.expiry = f;
        if (state.get() != h) {
            f.cancel(false); // released (or expired) meanwhile
        }
    }

    /** Holder: the backlog has drained. Opens the gate and makes it answer holds again. */
    public void release() {
        Object s = state.get();
        if (s == OPEN) {
            return;
        }
        if (s == EXPIRED) {
            state.compareAndSet(EXPIRED, OPEN);
            return;
        }
        Hold h = (Hold) s;
        if (state.compareAndSet(h, OPEN)) {
            ScheduledFuture<?> f = h.expiry;
            if (f != null) {
                f.cancel(false);
            }
            opened(h);
        }
    }

    /** Scheduler: hold {@code h} ran out, unless it was released (a later hold is another object, with its own expiry). */
    private void expire(Hold h) {
        if (state.compareAndSet(h, EXPIRED)) {
            expired.incrementAndGet();
            opened(h);
        }
    }

    private void opened(Hold h) {
        heldNanos.addAndGet(Math.max(0, nanoTime.getAsLong() - h.since));
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
