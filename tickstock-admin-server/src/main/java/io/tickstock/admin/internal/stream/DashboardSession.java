package io.tickstock.admin.internal.stream;

import io.tickstock.core.event.Tick;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One browser on {@code /admin-ws}. Frames are sent only by the stream's flusher thread; the
 * browser's actions (pause, resume, request_metrics) arrive on Jetty threads and only set flags.
 *
 * <p>Back-pressure: at most one {@code tick_update} frame is in flight; while it is, new ticks are
 * merged into {@link #pending} (latest per symbol, so bounded by the number of symbols) and the
 * round is counted as deferred. Other frames are dropped (counted) once {@link #MAX_OUTSTANDING}
 * frames are queued. A slow browser therefore only ever slows itself.
 */
public final class DashboardSession {
    /** Frames of any kind queued in Jetty before further non-tick frames are dropped. */
    public static final int MAX_OUTSTANDING = 8;

    private final String id;
    private final String user;
    private final String client;
    private final Outbound out;
    private final long openedNanos;
    private final BooleanSupplier authorised;

    volatile boolean paused;
    /** Set on connect and resume: the next round sends the latest tick of every symbol. */
    final AtomicBoolean wantsSnapshot = new AtomicBoolean(true);
    /** Set on connect: the next round sends the status of every slot and the metrics. */
    final AtomicBoolean wantsHello = new AtomicBoolean(true);
    final AtomicBoolean wantsMetrics = new AtomicBoolean();
    final AtomicBoolean wantsStreamState = new AtomicBoolean();

    /**
     * Ticks waiting for this browser alone, latest per symbol; touched by the flusher thread only.
     * Empty means the browser is in step with the others and takes the shared tick frames.
     */
    final Map<String, Tick> pending = new LinkedHashMap<>();

    private final AtomicBoolean tickInFlight = new AtomicBoolean();
    private volatile long tickSentAtNanos;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong ticksSent = new AtomicLong();
    private final AtomicLong deferredRounds = new AtomicLong();
    private final AtomicLong droppedFrames = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();

    public DashboardSession(String id, String user, String client, Outbound out, long openedNanos) {
        this(id, user, client, out, openedNanos, () -> true);
    }

    /**
     * @param authorised whether the login behind this socket still holds (its browser session has
     *                   not been logged out or expired); checked periodically and after every logout
     */
    public DashboardSession(String id, String user, String client, Outbound out, long openedNanos,
                            BooleanSupplier authorised) {
        this.authorised = authorised;
        this.id = id;
        this.user = user;
        this.client = client;
        this.out = out;
        this.openedNanos = openedNanos;
    }

    /** Sends a non-tick frame unless too many frames are already queued. */
    boolean sendControl(String text) {
        if (outstanding.get() >= MAX_OUTSTANDING) {
            droppedFrames.incrementAndGet();
            return false;
        }
        outstanding.incrementAndGet();
        out.send(text, err -> {
            outstanding.decrementAndGet();
            if (err == null) {
                framesSent.incrementAndGet();
            } else {
                sendFailures.incrementAndGet();
            }
        });
        return true;
    }

    /** Whether a tick frame may be sent now (none in flight). */
    boolean tickSlotFree() {
        return !tickInFlight.get();
    }

    /**
     * Sends a tick frame of {@code count} ticks, its UTF-8 bytes possibly shared with other browsers;
     * the caller checked {@link #tickSlotFree()}.
     */
    void sendTicks(ByteBuffer frame, int count, long nowNanos) {
        tickInFlight.set(true);
        tickSentAtNanos = nowNanos;
        outstanding.incrementAndGet();
        out.sendUtf8(frame, err -> {
            outstanding.decrementAndGet();
            if (err == null) {
                framesSent.incrementAndGet();
                ticksSent.addAndGet(count);
            } else {
                sendFailures.incrementAndGet();
            }
            tickInFlight.set(false);
        });
    }

    void deferred() {
        deferredRounds.incrementAndGet();
    }

    /** Nanoseconds the current tick frame has been in flight, 0 if none. */
    long tickInFlightFor(long nowNanos) {
        return tickInFlight.get() ? nowNanos - tickSentAtNanos : 0;
    }

    public void pause() {
        paused = true;
        wantsStreamState.set(true);
    }

    public void resume() {
        paused = false;
        wantsSnapshot.set(true);
        wantsStreamState.set(true);
    }

    public void requestMetrics() {
        wantsMetrics.set(true);
    }

    /** Whether the login behind this socket still holds. */
    public boolean authorised() {
        return authorised.getAsBoolean();
    }

    public boolean paused() {
        return paused;
    }

    public String id() {
        return id;
    }

    public String user() {
        return user;
    }

    public String client() {
        return client;
    }

    Outbound out() {
        return out;
    }

    public long openedNanos() {
        return openedNanos;
    }

    public long framesSent() {
        return framesSent.get();
    }

    public long ticksSent() {
        return ticksSent.get();
    }

    /** Flush rounds in which this browser was still busy with the previous tick frame. */
    public long deferredRounds() {
        return deferredRounds.get();
    }

    /** Non-tick frames dropped because this browser's queue was full. */
    public long droppedFrames() {
        return droppedFrames.get();
    }

    public long sendFailures() {
        return sendFailures.get();
    }
}
