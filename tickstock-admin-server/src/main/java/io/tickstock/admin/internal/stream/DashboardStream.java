package io.tickstock.admin.internal.stream;

import io.tickstock.admin.internal.api.StatusJson;
import io.tickstock.admin.gateway.GatewayStatus;
import io.tickstock.admin.gateway.TickEvents;
import io.tickstock.admin.internal.metrics.ThroughputTracker;
import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.StatusChange;
import io.tickstock.core.event.Tick;
import io.tickstock.core.health.HealthContributor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds every connected browser: {@code tick_update} (coalesced), {@code connection_status_update}
 * and {@code metrics_update}.
 *
 * <p>Threads: ticks and status changes arrive on feed I/O threads and only touch the
 * {@link TickCoalescer} and a bounded status queue. One scheduler thread ("admin-stream") does
 * everything else: every flush interval it drains the coalescer and sends to each browser whose
 * previous tick frame has completed; every metrics interval it samples throughput and sends
 * metrics. Nothing on the feed path waits for a browser.
 */
public final class DashboardStream implements HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardStream.class);
    /** A browser whose tick frame has not completed for this long is disconnected. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int STATUS_QUEUE = 1024;
    /** How often open sockets are checked against their login session (expiry); logout checks at once. */
    static final Duration AUTH_CHECK_INTERVAL = Duration.ofSeconds(1);
    /** Close code for a socket whose login ended (policy violation); the page then goes to the login page. */
    public static final int SESSION_ENDED = 1008;
    /** Close reason sent with {@link #SESSION_ENDED}; the page goes to the login page on it. */
    public static final String SESSION_ENDED_REASON = "session ended";

    private final GatewayStatus gateway;
    private final TickEvents ticks;
    private final ThroughputTracker rates;
    private final TickCoalescer coalescer;
    private final int maxTicksPerMessage;
    private final Duration flushInterval;
    private final Duration metricsInterval;
    private final Clock clock;
    private final Map<String, DashboardSession> sessions = new ConcurrentHashMap<>();
    private final ArrayBlockingQueue<StatusChange> statusChanges = new ArrayBlockingQueue<>(STATUS_QUEUE);
    private final AtomicLong statusDropped = new AtomicLong();
    private final AtomicLong stalledClosed = new AtomicLong();
    private final AtomicLong flushErrors = new AtomicLong();
    private final AtomicLong sessionEndedClosed = new AtomicLong();
    private final AtomicLong tickFramesBuilt = new AtomicLong();
    private final ScheduledExecutorService scheduler;
    // flusher-thread state
    private final List<Tick> changed = new ArrayList<>();
    private final List<Tick> scratch = new ArrayList<>();
    private final TickFrameWriter frames = new TickFrameWriter();
    /** Ticks not yet sent to the browsers in step when more changed than one frame holds; latest per symbol. */
    private final Map<String, Tick> backlog = new LinkedHashMap<>();
    private final List<Map<String, Object>> lastStatus = new ArrayList<>();

    public DashboardStream(GatewayStatus gateway, TickEvents ticks, ThroughputTracker rates, int maxSymbols,
                           int maxTicksPerMessage, Duration flushInterval, Duration metricsInterval, Clock clock) {
        this.gateway = gateway;
        this.ticks = ticks;
        this.rates = rates;
        this.coalescer = new TickCoalescer(maxSymbols);
        this.maxTicksPerMessage = maxTicksPerMessage;
        this.flushInterval = flushInterval;
        this.metricsInterval = metricsInterval;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "admin-stream");
            t.setDaemon(true);
            return t;
        });
    }

    /** Subscribes to the gateway and starts the flush and metrics timers. */
    public void start() {
        ticks.addTickSink(coalescer); // a SymbolStateSink: the manager keeps each symbol's slot for it
        gateway.addStatusListener(change -> {
            if (!statusChanges.offer(change)) {
                statusDropped.incrementAndGet();
            }
        });
        scheduler.scheduleAtFixedRate(guard(this::flush), flushInterval.toMillis(), flushInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(guard(this::metricsRound), 0, metricsInterval.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(guard(this::revalidate), AUTH_CHECK_INTERVAL.toMillis(),
                AUTH_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Closes ({@value #SESSION_ENDED}) every socket whose login no longer holds: its browser session
     * was logged out or expired. Runs periodically and right after a logout; any thread.
     */
    public void revalidate() {
        for (DashboardSession s : sessions.values()) {
            if (!s.authorised() && sessions.remove(s.id(), s)) {
                sessionEndedClosed.incrementAndGet();
                s.out().close(SESSION_ENDED, SESSION_ENDED_REASON);
            }
        }
    }

    public void register(DashboardSession session) {
        sessions.put(session.id(), session);
    }

    public void unregister(String sessionId) {
        sessions.remove(sessionId);
    }

    public DashboardSession session(String sessionId) {
        return sessions.get(sessionId);
    }

    /** Ids of the connected browsers. */
    public List<String> sessionIds() {
        return List.copyOf(sessions.keySet());
    }

    public int sessionCount() {
        return sessions.size();
    }

    public TickCoalescer coalescer() {
        return coalescer;
    }

    private Runnable guard(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                // a failing round must not cancel the periodic task
                flushErrors.incrementAndGet();
                LOG.warn("Dashboard stream round failed: {}", e.toString());
            }
        };
    }

    /**
     * One flush round: status changes, hellos, stream-state acks, metrics requests, ticks.
     *
     * <p>Browsers in step with each other (nothing pending of their own) share one tick frame per
     * round, serialised once: the changes of the round, or, when more changed than one frame holds,
     * the oldest of the shared backlog. A browser still busy with its previous frame falls out of
     * step: it takes over everything the others have not been sent yet into its own pending ticks
     * and gets frames of its own until they are drained (then it may see a symbol's latest tick once
     * more, which the page simply redraws).
     */
    void flush() {
        long now = System.nanoTime();
        List<String> statusFrames = drainStatus();
        changed.clear();
        coalescer.drainChanged(changed);
        boolean useBacklog = !backlog.isEmpty() || changed.size() > maxTicksPerMessage;
        if (useBacklog) {
            for (Tick t : changed) {
                backlog.put(t.symbol(), t);
            }
        }
        // what browsers in step have not been sent yet
        Collection<Tick> unsent = useBacklog ? backlog.values() : changed;
        ByteBuffer shared = null;
        int sharedCount = 0;
        boolean anyInStep = false;
        List<ConnectionInfo> infos = null;
        for (Iterator<DashboardSession> it = sessions.values().iterator(); it.hasNext(); ) {
            DashboardSession s = it.next();
            if (!s.out().isOpen()) {
                it.remove();
                continue;
            }
            if (s.wantsHello.getAndSet(false)) {
                infos = infos == null ? gateway.connections() : infos;
                for (ConnectionInfo c : infos) {
                    s.sendControl(StreamMessages.event(StreamMessages.STATUS_UPDATE,
                            StatusJson.status(c, null, c.lastError(), clock.millis())));
                }
                s.wantsMetrics.set(true);
            }
            for (String f : statusFrames) {
                s.sendControl(f);
            }
            if (s.wantsStreamState.getAndSet(false)) {
                s.sendControl(StreamMessages.event(StreamMessages.STREAM_STATE, Map.of("paused", s.paused())));
            }
            if (s.wantsMetrics.getAndSet(false)) {
                infos = infos == null ? gateway.connections() : infos;
                s.sendControl(metricsFrame(infos, s));
            }
            if (s.paused()) {
                s.pending.clear();
                continue;
            }
            if (s.wantsSnapshot.getAndSet(false)) {
                s.pending.clear();
                scratch.clear();
                coalescer.snapshot(scratch);
                merge(s, scratch);
            }
            if (!s.tickSlotFree()) {
                // in step: it is owed all the others are; out of step: it holds all but this round's changes
                merge(s, s.pending.isEmpty() ? unsent : changed);
                s.deferred();
                if (s.tickInFlightFor(now) > STALL_TIMEOUT.toNanos()) {
                    stalledClosed.incrementAndGet();
                    LOG.warn("Closing dashboard session of {} at {}: not reading for {}s", s.user(), s.client(),
                            STALL_TIMEOUT.toSeconds());
                    s.out().close(1008, "too slow");
                    it.remove();
                }
                continue;
            }
            if (s.pending.isEmpty()) {
                anyInStep = true;
                if (!unsent.isEmpty()) {
                    if (shared == null) {
                        sharedCount = Math.min(unsent.size(), maxTicksPerMessage);
                        shared = frame(unsent, sharedCount);
                    }
                    s.sendTicks(shared, sharedCount, now);
                }
                continue;
            }
            merge(s, changed);
            sendPending(s, now);
            anyInStep |= s.pending.isEmpty();
        }
        if (!anyInStep) {
            backlog.clear(); // nobody in step is owed it
        } else if (useBacklog && shared != null) {
            Iterator<Tick> sent = backlog.values().iterator();
            for (int i = 0; i < sharedCount; i++) {
                sent.next();
                sent.remove();
            }
        }
    }

    /** Serialises a tick frame of the first {@code count} of {@code ticks}; its bytes are read-only and shared. */
    private ByteBuffer frame(Collection<Tick> ticks, int count) {
        tickFramesBuilt.incrementAndGet();
        return ByteBuffer.wrap(frames.write(ticks, count)).asReadOnlyBuffer();
    }

    private static void merge(DashboardSession s, Collection<Tick> ticks) {
        for (Tick t : ticks) {
            s.pending.put(t.symbol(), t);
        }
    }

    private void sendPending(DashboardSession s, long now) {
        int count = Math.min(s.pending.size(), maxTicksPerMessage);
        ByteBuffer frame = frame(s.pending.values(), count);
        Iterator<Tick> it = s.pending.values().iterator();
        for (int i = 0; i < count; i++) {
            it.next();
            it.remove();
        }
        s.sendTicks(frame, count, now);
    }

    /** Tick frames serialised since start: one per round for all browsers in step, plus one per catching-up browser. */
    long tickFramesBuilt() {
        return tickFramesBuilt.get();
    }

    private List<String> drainStatus() {
        if (statusChanges.isEmpty()) {
            return List.of();
        }
        List<StatusChange> drained = new ArrayList<>();
        statusChanges.drainTo(drained);
        Map<String, ConnectionInfo> byId = new LinkedHashMap<>();
        for (ConnectionInfo c : gateway.connections()) {
            byId.put(c.id(), c);
        }
        List<String> frames = new ArrayList<>(drained.size());
        for (StatusChange ch : drained) {
            ConnectionInfo c = byId.get(ch.connectionId());
            if (c == null) {
                continue;
            }
            Map<String, Object> data = StatusJson.status(c, ch.from().wireName(), ch.message(), ch.atMillis());
            data.put("status", ch.to().wireName()); // the transition itself, even if the state moved on since
            frames.add(StreamMessages.event(StreamMessages.STATUS_UPDATE, data));
        }
        return frames;
    }

    /** Samples throughput and sends {@code metrics_update} to every browser. */
    void metricsRound() {
        List<ConnectionInfo> infos = gateway.connections();
        for (ConnectionInfo c : infos) {
            rates.sample(c.id(), c.messageCount());
        }
        for (DashboardSession s : sessions.values()) {
            if (s.out().isOpen()) {
                s.sendControl(metricsFrame(infos, s));
            }
        }
    }

    private String metricsFrame(List<ConnectionInfo> infos, DashboardSession s) {
        var now = clock.instant();
        List<Object> conns = new ArrayList<>(infos.size());
        long ticks = 0;
        long errors = 0;
        int connected = 0;
        for (ConnectionInfo c : infos) {
            conns.add(StatusJson.metrics(c, rates, now));
            ticks += c.messageCount();
            errors += c.errorCount();
            connected += c.connected() ? 1 : 0;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total", infos.size());
        summary.put("connected", connected);
        summary.put("ticks_total", ticks);
        summary.put("errors_total", errors);
        Map<String, Object> stream = new LinkedHashMap<>();
        stream.put("paused", s.paused());
        stream.put("ticks_sent", s.ticksSent());
        stream.put("deferred_rounds", s.deferredRounds());
        stream.put("dropped_frames", s.droppedFrames());
        stream.put("dashboards", sessions.size());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("timestamp", now.toString());
        data.put("interval_ms", metricsInterval.toMillis());
        data.put("connections", conns);
        data.put("summary", summary);
        data.put("stream", stream);
        data.put("nodes", StatusJson.nodesBrief(gateway.nodes()));
        return StreamMessages.event(StreamMessages.METRICS_UPDATE, data);
    }

    @Override
    public String healthName() {
        return "admin_stream";
    }

    @Override
    public Map<String, Object> health() {
        long deferred = 0;
        long dropped = 0;
        for (DashboardSession s : sessions.values()) {
            deferred += s.deferredRounds();
            dropped += s.droppedFrames();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dashboards", sessions.size());
        m.put("symbols_tracked", coalescer.symbols());
        m.put("ticks_offered", coalescer.offered());
        m.put("ticks_rejected_symbol_limit", coalescer.rejected());
        m.put("tick_frames_built", tickFramesBuilt.get());
        m.put("deferred_rounds", deferred);
        m.put("dropped_frames", dropped);
        m.put("status_changes_dropped", statusDropped.get());
        m.put("slow_dashboards_closed", stalledClosed.get());
        m.put("round_errors", flushErrors.get());
        m.put("ended_sessions_closed", sessionEndedClosed.get());
        return m;
    }

    /** Closes every browser's socket (1001 going away); pages reconnect by themselves. */
    public void disconnectAll(String reason) {
        for (DashboardSession s : sessions.values()) {
            s.out().close(1001, reason);
        }
        sessions.clear();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        disconnectAll("server stopping");
    }
}
