package io.tickstock.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.tickstock.core.event.EventType;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Generates the synthetic stream and fans each event out to every session subscribed to its
 * ticker and channel (explicitly or by wildcard), exactly as the real feed does: a ticker subscribed
 * on two connections gets the same events, with the same {@code q}, on both.
 *
 * <p>Concurrency: everything runs on the emulator's single event loop; only the counters are read
 * from other threads.
 */
final class SyntheticMarket {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Events per pass in unlimited mode before yielding to I/O. */
    private static final int UNLIMITED_PASS = 2_048;

    private final EventLoop loop;
    private final long seed;
    private final List<String> wildcardTickers;
    private final KnownTickers known;
    private final java.util.Set<EventType> eventTypes;
    private final FaultSwitches faults;
    private final int batchSize;
    private final int maxFrameBytes;
    private volatile long eventsPerSecond;

    private final Clock clock;
    private final Map<String, TickerStream> streamsByKey = new HashMap<>();
    /** Generated-event totals per ticker and type; readable from any thread. */
    private final ConcurrentHashMap<String, AtomicLongArray> generatedPerTicker = new ConcurrentHashMap<>();
    /** Distinct events per ticker and type written to at least one connection; readable from any thread. */
    private final ConcurrentHashMap<String, AtomicLongArray> sentPerTicker = new ConcurrentHashMap<>();
    // Market time (event loop only): never goes backwards; the trading date is cached per day.
    private long marketMillis = Long.MIN_VALUE;
    private long tradingDay;
    private long dayStartMillis = Long.MAX_VALUE;
    private long dayEndMillis = Long.MIN_VALUE;
    private final AtomicLong tradingDaysSeen = new AtomicLong();
    private final Map<Long, EmulatorSession> sessions = new LinkedHashMap<>();
    private List<TickerStream> active = List.of();
    private boolean dirty;
    private int cursor;
    private final ByteBuf scratch = Unpooled.buffer(1_024);
    private final AtomicLong generated = new AtomicLong();
    private final AtomicLong slowConsumerKills = new AtomicLong();

    private volatile boolean streaming = true;
    private volatile boolean sequenceJumps = true;
    private boolean stopped;
    private ScheduledFuture<?> ticker;
    private long lastTickNanos;
    private double carry;
    private boolean passQueued;

    SyntheticMarket(EventLoop loop, Clock clock, long seed, long eventsPerSecond, int batchSize, int maxFrameBytes,
                    List<String> wildcardTickers, KnownTickers known, java.util.Set<EventType> eventTypes,
                    FaultSwitches faults) {
        this.loop = loop;
        this.clock = clock;
        this.seed = seed;
        this.eventsPerSecond = eventsPerSecond;
        this.batchSize = batchSize;
        this.maxFrameBytes = maxFrameBytes;
        this.wildcardTickers = List.copyOf(wildcardTickers);
        this.known = known;
        this.eventTypes = java.util.Set.copyOf(eventTypes);
        this.faults = faults;
    }

    void start() {
        lastTickNanos = System.nanoTime();
        ticker = loop.scheduleAtFixedRate(this::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    void stop() {
        stopped = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
    }

    long eventsPerSecond() {
        return eventsPerSecond;
    }

    void eventsPerSecond(long rate) {
        this.eventsPerSecond = rate;
    }

    boolean streaming() {
        return streaming;
    }

    void streaming(boolean on) {
        streaming = on;
        if (!on) {
            flushAll();
        } else {
            lastTickNanos = System.nanoTime();
            carry = 0;
        }
    }

    void sequenceJumps(boolean on) {
        sequenceJumps = on;
    }

    long generated() {
        return generated.get();
    }

    long generated(String ticker) {
        return EmulatorSession.sum(generatedPerTicker.get(ticker));
    }

    long generated(String ticker, EventType type) {
        AtomicLongArray c = generatedPerTicker.get(ticker);
        return c == null ? 0 : c.get(type.ordinal());
    }

    long distinctSent(String ticker) {
        return EmulatorSession.sum(sentPerTicker.get(ticker));
    }

    long distinctSent(String ticker, EventType type) {
        AtomicLongArray c = sentPerTicker.get(ticker);
        return c == null ? 0 : c.get(type.ordinal());
    }

    /** Distinct events sent per ticker and type, sorted by ticker; types with none are left out. */
    Map<String, Map<EventType, Long>> distinctSentPerTicker() {
        Map<String, Map<EventType, Long>> out = new TreeMap<>();
        sentPerTicker.forEach((ticker, counts) -> {
            Map<EventType, Long> m = new EnumMap<>(EventType.class);
            for (EventType t : EventType.values()) {
                long n = counts.get(t.ordinal());
                if (n > 0) {
                    m.put(t, n);
                }
            }
            if (!m.isEmpty()) {
                out.put(ticker, m);
            }
        });
        return out;
    }

    /** The current market time, epoch ms (event loop only). */
    long marketMillis() {
        readClock();
        return marketMillis;
    }

    /** Trading dates the stream has moved through so far (0 before the first event). */
    long tradingDaysSeen() {
        return tradingDaysSeen.get();
    }

    /**
     * Reads the clock: market time never goes backwards, and the trading date (US/Eastern) is
     * recomputed only when the time leaves the cached day.
     */
    private void readClock() {
        long now = clock.millis();
        if (now > marketMillis) {
            marketMillis = now;
        }
        if (marketMillis < dayStartMillis || marketMillis >= dayEndMillis) {
            LocalDate date = Instant.ofEpochMilli(marketMillis).atZone(MarketSession.EASTERN).toLocalDate();
            tradingDay = date.toEpochDay();
            dayStartMillis = date.atStartOfDay(MarketSession.EASTERN).toInstant().toEpochMilli();
            dayEndMillis = date.plusDays(1).atStartOfDay(MarketSession.EASTERN).toInstant().toEpochMilli();
            tradingDaysSeen.incrementAndGet();
        }
    }

    long slowConsumerKills() {
        return slowConsumerKills.get();
    }

    void add(EmulatorSession s) {
        sessions.put(s.id(), s);
    }

    void remove(EmulatorSession s) {
        sessions.remove(s.id());
        dirty = true;
    }

    void subscriptionsChanged() {
        dirty = true;
    }

    /** A session became writable again: in unlimited mode, carry on at once. */
    void writable() {
        if (eventsPerSecond <= 0) {
            queuePass();
        }
    }

    private void tick() {
        long now = System.nanoTime();
        long elapsed = now - lastTickNanos;
        lastTickNanos = now;
        if (stopped || !streaming) {
            return;
        }
        rebuildIfDirty();
        if (active.isEmpty()) {
            return;
        }
        long rate = eventsPerSecond;
        if (rate <= 0) {
            queuePass();
            return;
        }
        carry += rate * (elapsed / 1e9);
        carry = Math.min(carry, Math.max(batchSize, rate / 10.0)); // after a stall, catch up at most 100 ms
        int budget = (int) carry;
        carry -= budget;
        generate(budget);
        flushAll();
    }

    private void queuePass() {
        if (!passQueued) {
            passQueued = true;
            loop.execute(this::unlimitedPass);
        }
    }

    /** Unlimited mode: send as fast as the slowest subscriber reads, yielding to I/O between passes. */
    private void unlimitedPass() {
        passQueued = false;
        if (stopped || !streaming || eventsPerSecond > 0) {
            return;
        }
        rebuildIfDirty();
        if (active.isEmpty()) {
            return;
        }
        for (EmulatorSession s : sessions.values()) {
            if (s.isAuthenticated() && !s.params().isEmpty() && !s.canTake()) {
                flushAll();
                return; // resumed by writable()
            }
        }
        int produced = generate(UNLIMITED_PASS);
        flushAll();
        if (produced > 0) {
            queuePass(); // otherwise nothing is due yet (aggregates wait for their window): the timer resumes
        }
    }

    /** Visits up to {@code budget} streams; returns how many events were due and written. */
    private int generate(int budget) {
        List<TickerStream> streams = active;
        int n = streams.size();
        long slowKill = faults.slowConsumerKillBytes();
        readClock();
        long now = marketMillis;
        long day = tradingDay;
        boolean jumps = sequenceJumps;
        int produced = 0;
        for (int i = 0; i < budget; i++) {
            if (cursor >= n) {
                cursor = 0;
            }
            TickerStream s = streams.get(cursor++);
            if (!s.advance(now, day)) {
                continue;
            }
            produced++;
            s.sequenceJumps = jumps;
            SequenceFault fault = s.hasSequence() ? faults.takeSequenceFault() : null;
            scratch.clear();
            long shift = 0;
            boolean permanent = false;
            if (fault == SequenceFault.GAP) {
                shift = faults.gapSize();
                permanent = true;
            } else if (fault == SequenceFault.BACKWARDS) {
                shift = -2;
            }
            s.write(scratch, shift, permanent, now);
            generated.lazySet(generated.get() + 1);
            int typeIndex = s.type.ordinal();
            AtomicLongArray perTicker = s.tickerGenerated;
            perTicker.lazySet(typeIndex, perTicker.get(typeIndex) + 1);
            int copies = fault == SequenceFault.DUPLICATE ? 2 : 1;
            boolean sent = false;
            for (int c = 0; c < copies; c++) {
                sent |= fanOut(s, typeIndex, slowKill);
            }
            if (sent) {
                AtomicLongArray distinct = s.tickerSent;
                distinct.lazySet(typeIndex, distinct.get(typeIndex) + 1);
            }
        }
        return produced;
    }

    /** Writes the event in {@code scratch} to every subscriber; returns whether at least one took it. */
    private boolean fanOut(TickerStream s, int typeIndex, long slowKill) {
        EmulatorSession[] subs = s.subscribers;
        AtomicLongArray[] counters = s.counters;
        int len = scratch.readableBytes();
        boolean sent = false;
        for (int j = 0; j < subs.length; j++) {
            EmulatorSession sub = subs[j];
            if (!sub.isOpen()) {
                continue;
            }
            if (slowKill > 0 && sub.pendingOutboundBytes() > slowKill) {
                slowConsumerKills.incrementAndGet();
                EmulatorHandler.closeAbruptly(sub, "slow consumer: outbound backlog over " + slowKill + " bytes");
                continue;
            }
            if (!sub.canTake() && eventsPerSecond > 0) {
                // as the real server does: a reader that lets the backlog grow past the limit is cut off.
                // At full speed the emulator waits for the slowest reader instead (unlimitedPass checks
                // before each pass), so a pass may overshoot the limit by at most one pass of events.
                slowConsumerKills.incrementAndGet();
                EmulatorHandler.closeAbruptly(sub, "slow consumer: outbound backlog over the limit");
                continue;
            }
            sub.append(scratch, scratch.readerIndex(), len, counters[j], typeIndex, batchSize, maxFrameBytes);
            sent = true;
        }
        return sent;
    }

    void flushAll() {
        for (EmulatorSession s : sessions.values()) {
            if (s.isOpen()) {
                s.writeFrame();
                s.channel().flush();
            }
        }
    }

    /** Flushes the frame under construction of one session, so that a special frame does not split it. */
    void flush(EmulatorSession s) {
        s.writeFrame();
    }

    private void rebuildIfDirty() {
        if (!dirty) {
            return;
        }
        dirty = false;
        // Explicit subscribers per stream key, wildcard subscribers per channel.
        Map<String, List<EmulatorSession>> explicit = new LinkedHashMap<>();
        Map<EventType, List<EmulatorSession>> wildcard = new HashMap<>();
        for (EmulatorSession s : sessions.values()) {
            if (!s.isOpen() || !s.isAuthenticated()) {
                continue;
            }
            for (String p : s.params()) {
                int dot = p.indexOf('.');
                EventType type = EventType.fromCode(p.substring(0, dot));
                String ticker = p.substring(dot + 1);
                if (type == null || !eventTypes.contains(type)) {
                    continue; // acknowledged, but this channel carries no data here (NOI, LV, no entitlement)
                }
                if ("*".equals(ticker)) {
                    wildcard.computeIfAbsent(type, t -> new ArrayList<>()).add(s);
                } else if (known.contains(ticker)) { // unknown tickers: acknowledged, silent
                    explicit.computeIfAbsent(p, k -> new ArrayList<>()).add(s);
                }
            }
        }
        wildcard.forEach((type, subs) -> {
            for (String t : wildcardTickers) {
                List<EmulatorSession> list = explicit.computeIfAbsent(type.code() + "." + t, k -> new ArrayList<>());
                for (EmulatorSession s : subs) {
                    if (!list.contains(s)) {
                        list.add(s);
                    }
                }
            }
        });
        for (TickerStream old : active) {
            old.subscribers = new EmulatorSession[0];
            old.counters = new AtomicLongArray[0];
        }
        List<TickerStream> next = new ArrayList<>(explicit.size());
        explicit.forEach((key, subs) -> {
            TickerStream s = streamsByKey.computeIfAbsent(key, k -> {
                int dot = k.indexOf('.');
                String t = k.substring(dot + 1);
                TickerStream created = new TickerStream(seed, t, EventType.fromCode(k.substring(0, dot)));
                created.tickerGenerated = generatedPerTicker.computeIfAbsent(t,
                        x -> new AtomicLongArray(TickerStream.TYPES));
                created.tickerSent = sentPerTicker.computeIfAbsent(t, x -> new AtomicLongArray(TickerStream.TYPES));
                return created;
            });
            s.subscribers = subs.toArray(new EmulatorSession[0]);
            AtomicLongArray[] counters = new AtomicLongArray[subs.size()];
            for (int i = 0; i < counters.length; i++) {
                counters[i] = subs.get(i).tickerCounter(s.ticker);
            }
            s.counters = counters;
            next.add(s);
        });
        active = List.copyOf(next);
    }

    Collection<EmulatorSession> sessions() {
        return sessions.values();
    }
}
