package io.tickstock.emulator;

import io.netty.buffer.ByteBuf;
import io.tickstock.core.event.EventType;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The synthetic events of one ticker on one channel: its own seeded random walk around the
 * ticker's reference price, and its own sequence, so that the n-th event of
 * {@code (seed, ticker, channel)} carries the same values whatever else is subscribed; timestamps
 * come from the market clock. Used on the emulator's single event-loop thread only.
 */
final class TickerStream {
    private static final EmulatorSession[] NO_SESSIONS = {};
    private static final AtomicLongArray[] NO_COUNTERS = {};
    // Fixed JSON fragments, encoded once.
    private static final byte[] F_P = Json.ascii(",\"p\":");
    private static final byte[] F_S = Json.ascii(",\"s\":");
    private static final byte[] F_C_12_37 = Json.ascii(",\"c\":[12,37]");
    private static final byte[] F_T = Json.ascii(",\"t\":");
    private static final byte[] F_Q = Json.ascii(",\"q\":");
    private static final byte[] F_Z = Json.ascii(",\"z\":");
    private static final byte[] F_BX = Json.ascii("\"bx\":");
    private static final byte[] F_BP = Json.ascii(",\"bp\":");
    private static final byte[] F_BS = Json.ascii(",\"bs\":");
    private static final byte[] F_AX = Json.ascii(",\"ax\":");
    private static final byte[] F_AP = Json.ascii(",\"ap\":");
    private static final byte[] F_AS = Json.ascii(",\"as\":");
    private static final byte[] F_C_1_I_604_T = Json.ascii(",\"c\":1,\"i\":[604],\"t\":");
    private static final byte[] F_V = Json.ascii("\"v\":");
    private static final byte[] F_AV = Json.ascii(",\"av\":");
    private static final byte[] F_OP = Json.ascii(",\"op\":");
    private static final byte[] F_VW = Json.ascii(",\"vw\":");
    private static final byte[] F_O = Json.ascii(",\"o\":");
    private static final byte[] F_C = Json.ascii(",\"c\":");
    private static final byte[] F_H = Json.ascii(",\"h\":");
    private static final byte[] F_L = Json.ascii(",\"l\":");
    private static final byte[] F_A = Json.ascii(",\"a\":");
    private static final byte[] F_E = Json.ascii(",\"e\":");
    private static final byte[] F_H_2 = Json.ascii("\"h\":");
    private static final byte[] F_I_21_Z = Json.ascii(",\"i\":[21],\"z\":");
    private static final byte[] F_FMV = Json.ascii("\"fmv\":");
    private static final byte[] F_I = Json.ascii("\"i\":\"");
    private static final byte[] F_X = Json.ascii("\",\"x\":");


    /** Event-type slots of the per-ticker counter arrays. */
    static final int TYPES = EventType.values().length;

    final String ticker;
    final EventType type;
    private final byte[] head;
    private final SplittableRandom rng;
    private final long streamSeed;
    /** The reference price the walk starts from and keeps returning to. */
    private final long refCents;
    /** One price step: about two basis points of the reference, at least a cent. */
    private final long tickCents;
    private long priceCents;
    private long seq;
    private long count;
    /** The trading date (epoch day, US/Eastern) of the last event; {@code Long.MIN_VALUE} before the first. */
    private long day = Long.MIN_VALUE;
    private long dayVolume;
    private long dayOpenCents;
    /** Start of the last aggregate window sent (A, AM), or the last FMV's millisecond. */
    private long lastWindow = Long.MIN_VALUE;
    /** Whether {@code q} sometimes skips values, as on the real feed; set by the market. */
    boolean sequenceJumps = true;
    /** The LULD band reference last sent. */
    private long lastBand = Long.MIN_VALUE;
    /** Events generated for this stream; read by tests from other threads. */
    final AtomicLong generated = new AtomicLong();
    /** The ticker's totals per event type, shared by its streams; set by the market. */
    AtomicLongArray tickerGenerated = new AtomicLongArray(TYPES);
    /** Distinct events of the ticker per type written to at least one connection; set by the market. */
    AtomicLongArray tickerSent = new AtomicLongArray(TYPES);

    /** Who receives this stream, rebuilt by the market when subscriptions change. */
    EmulatorSession[] subscribers = NO_SESSIONS;
    /** Per-subscriber, per-ticker sent counters by event type, parallel to {@link #subscribers}. */
    AtomicLongArray[] counters = NO_COUNTERS;

    TickerStream(long seed, String ticker, EventType type) {
        this.ticker = ticker;
        this.type = type;
        long tickerSeed = mix(seed ^ mix(ticker.hashCode()));
        this.streamSeed = mix(tickerSeed + 31L * (type.ordinal() + 1));
        this.rng = new SplittableRandom(streamSeed);
        this.refCents = ReferencePrices.cents(ticker); // the same for every channel and seed
        this.tickCents = Math.max(1, refCents / 5_000);
        this.priceCents = refCents;
        String key = type == EventType.LULD ? "T" : "sym";
        StringBuilder h = new StringBuilder("{\"ev\":\"").append(type.code()).append("\",\"").append(key)
                .append("\":\"");
        for (char c : ticker.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
                h.append('?'); // valid tickers never contain these; keep the frame well-formed anyway
            } else {
                h.append(c);
            }
        }
        this.head = Json.ascii(h.append("\",").toString());
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Whether this channel carries a {@code q} that sequence faults can disturb. */
    boolean hasSequence() {
        return type == EventType.T || type == EventType.Q || type == EventType.LULD;
    }

    /**
     * Moves the stream to market time {@code nowMillis} of trading date {@code epochDay}: a new date
     * starts a new session ({@code q} from a small value again, day volume from zero); the price
     * walks on. Returns whether an event is due: always for T and Q; for A and AM only once per
     * window; for FMV once per millisecond at most; for LULD only when the band moved. Call
     * {@link #write} next when it is.
     */
    boolean advance(long nowMillis, long epochDay) {
        if (epochDay != day) {
            day = epochDay;
            seq = Math.floorMod(mix(streamSeed + epochDay), 100); // each session's q starts small
            dayVolume = 0;
            dayOpenCents = priceCents;
            lastBand = Long.MIN_VALUE;
        }
        switch (type) {
            case A, AM -> {
                long window = type == EventType.A ? 1_000L : 60_000L;
                long start = Math.floorDiv(nowMillis, window) * window;
                if (start <= lastWindow) {
                    return false;
                }
                lastWindow = start;
                return true;
            }
            case LULD -> {
                walk(3);
                long step = Math.max(5, dayOpenCents / 200); // bands are recomputed on a 0.5 % move
                long band = Math.floorDiv(priceCents, step);
                if (band == lastBand) {
                    return false;
                }
                lastBand = band;
                return true;
            }
            case FMV -> {
                // at most one value per millisecond: core keys an FMV on its time in milliseconds
                if (nowMillis <= lastWindow) {
                    return false;
                }
                lastWindow = nowMillis;
                walk(3);
                return true;
            }
            default -> {
                walk(3);
                return true;
            }
        }
    }

    /**
     * One step of the seeded random walk, up to {@code maxTicks} price steps either way; more than
     * 2 % away from the reference it leans back towards it, so that prices wander around the
     * reference rather than away from it.
     */
    private void walk(int maxTicks) {
        long step = (rng.nextInt(2 * maxTicks + 1) - maxTicks) * tickCents;
        long deviation = priceCents - refCents;
        if (Math.abs(deviation) * 50 > refCents) {
            step -= Long.signum(deviation) * tickCents;
        }
        priceCents = Math.max(1, priceCents + step);
    }

    /**
     * Writes the event {@link #advance} made due, stamped {@code nowMillis}.
     *
     * @param seqShift added to this event's {@code q} only (negative for a backwards value), or
     *                 permanently when {@code permanent} (a gap)
     */
    void write(ByteBuf out, long seqShift, boolean permanent, long nowMillis) {
        count++;
        generated.lazySet(count);
        if (permanent) {
            seq += seqShift;
        }
        // increasing but not always consecutive: about one step in eight skips one to four values
        seq += sequenceJumps && hasSequence() && rng.nextInt(8) == 0 ? 2 + rng.nextInt(4) : 1;
        long q = permanent ? seq : seq + seqShift;
        out.writeBytes(head);
        switch (type) {
            case T -> trade(out, q, nowMillis);
            case Q -> quote(out, q, nowMillis);
            case A -> aggregate(out, 1_000L, nowMillis);
            case AM -> aggregate(out, 60_000L, nowMillis);
            case LULD -> luld(out, q, nowMillis);
            case FMV -> fmv(out, nowMillis);
            default -> throw new IllegalStateException("unhandled channel " + type);
        }
        out.writeByte('}');
    }

    /** {@link #advance} then, when due, {@link #write}; returns whether an event was written. */
    boolean next(ByteBuf out, long seqShift, boolean permanent, long nowMillis, long epochDay) {
        if (!advance(nowMillis, epochDay)) {
            return false;
        }
        write(out, seqShift, permanent, nowMillis);
        return true;
    }

    private void trade(ByteBuf out, long q, long now) {
        out.writeBytes(F_I);
        Json.writeLong(out, seq * 7 + 52_983_525_029_461L);
        out.writeBytes(F_X);
        Json.writeLong(out, 1 + rng.nextInt(20));
        out.writeBytes(F_P);
        Json.writeFixed(out, priceCents, 2);
        out.writeBytes(F_S);
        Json.writeLong(out, 1 + rng.nextInt(50) * 10L);
        if (rng.nextInt(4) == 0) {
            out.writeBytes(F_C_12_37);
        }
        out.writeBytes(F_T);
        timeSequenceTape(out, q, now);
    }

    private void quote(ByteBuf out, long q, long now) {
        long spread = tickCents * (1 + rng.nextInt(3));
        out.writeBytes(F_BX);
        Json.writeLong(out, 1 + rng.nextInt(20));
        out.writeBytes(F_BP);
        Json.writeFixed(out, Math.max(1, priceCents - spread), 2);
        out.writeBytes(F_BS);
        Json.writeLong(out, 1 + rng.nextInt(30));
        out.writeBytes(F_AX);
        Json.writeLong(out, 1 + rng.nextInt(20));
        out.writeBytes(F_AP);
        Json.writeFixed(out, priceCents + spread, 2);
        out.writeBytes(F_AS);
        Json.writeLong(out, 1 + rng.nextInt(30));
        out.writeBytes(F_C_1_I_604_T);
        timeSequenceTape(out, q, now);
    }

    /** The common tail of trades and quotes: the {@code t} value, then {@code q} and {@code z}. */
    private void timeSequenceTape(ByteBuf out, long q, long now) {
        Json.writeLong(out, now);
        out.writeBytes(F_Q);
        Json.writeLong(out, q);
        out.writeBytes(F_Z);
        Json.writeLong(out, 1 + rng.nextInt(3));
    }

    private void aggregate(ByteBuf out, long window, long now) {
        long open = priceCents;
        walk(4);
        long close = priceCents;
        long high = Math.max(open, close) + rng.nextInt(3) * tickCents;
        long low = Math.max(1, Math.min(open, close) - rng.nextInt(3) * tickCents);
        long volume = 100 + rng.nextInt(5_000);
        dayVolume += volume;
        long start = Math.floorDiv(now, window) * window;
        out.writeBytes(F_V);
        Json.writeLong(out, volume);
        out.writeBytes(F_AV);
        Json.writeLong(out, dayVolume);
        out.writeBytes(F_OP);
        Json.writeFixed(out, dayOpenCents, 2);
        out.writeBytes(F_VW);
        Json.writeFixed(out, (open + close) * 50, 4);
        out.writeBytes(F_O);
        Json.writeFixed(out, open, 2);
        out.writeBytes(F_C);
        Json.writeFixed(out, close, 2);
        out.writeBytes(F_H);
        Json.writeFixed(out, high, 2);
        out.writeBytes(F_L);
        Json.writeFixed(out, low, 2);
        out.writeBytes(F_A);
        Json.writeFixed(out, (open + close) * 50, 4);
        out.writeBytes(F_Z);
        Json.writeLong(out, 50 + rng.nextInt(100));
        out.writeBytes(F_S);
        Json.writeLong(out, start);
        out.writeBytes(F_E);
        Json.writeLong(out, start + window);
    }

    private void luld(ByteBuf out, long q, long now) {
        out.writeBytes(F_H_2);
        Json.writeFixed(out, priceCents * 105 / 100, 2);
        out.writeBytes(F_L);
        Json.writeFixed(out, priceCents * 95 / 100, 2);
        out.writeBytes(F_I_21_Z);
        Json.writeLong(out, 1 + rng.nextInt(3));
        out.writeBytes(F_T);
        Json.writeLong(out, now);
        out.writeBytes(F_Q);
        Json.writeLong(out, q);
    }

    /** FMV's {@code t} is in nanoseconds on the real feed, unlike every other event's. */
    private void fmv(ByteBuf out, long now) {
        out.writeBytes(F_FMV);
        Json.writeFixed(out, priceCents, 2);
        out.writeBytes(F_T);
        Json.writeLong(out, now * 1_000_000L + rng.nextInt(1_000_000));
    }

}
