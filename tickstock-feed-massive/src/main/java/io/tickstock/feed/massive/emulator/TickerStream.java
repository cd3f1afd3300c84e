package io.tickstock.feed.massive.emulator;

import io.netty.buffer.ByteBuf;
import io.tickstock.core.event.EventType;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The synthetic events of one ticker on one channel: its own seeded random walk, sequence and
 * clock, so that the n-th event of {@code (seed, ticker, channel)} is always the same whatever else
 * is subscribed. Used on the emulator's single event-loop thread only.
 */
final class TickerStream {
    /** Simulated session open: 2026-01-02T14:30:00Z. Fixed so that a seed gives the same stream on every run. */
    static final long BASE_TIME = 1_767_364_200_000L;
    private static final EmulatorSession[] NO_SESSIONS = {};
    private static final AtomicLong[] NO_COUNTERS = {};
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


    final String ticker;
    final EventType type;
    private final byte[] head;
    private final SplittableRandom rng;
    private long priceCents;
    private long seq;
    private long count;
    private long dayVolume;
    /** Events generated for this stream; read by tests from other threads. */
    final AtomicLong generated = new AtomicLong();
    /** The ticker's total over all channels, shared by its streams; set by the market. */
    AtomicLong tickerGenerated;

    /** Who receives this stream, rebuilt by the market when subscriptions change. */
    EmulatorSession[] subscribers = NO_SESSIONS;
    /** Per-subscriber, per-ticker sent counters, parallel to {@link #subscribers}. */
    AtomicLong[] counters = NO_COUNTERS;

    TickerStream(long seed, String ticker, EventType type) {
        this.ticker = ticker;
        this.type = type;
        long tickerSeed = mix(seed ^ mix(ticker.hashCode()));
        this.rng = new SplittableRandom(mix(tickerSeed + 31L * (type.ordinal() + 1)));
        this.priceCents = 1_000 + Math.floorMod(tickerSeed, 49_000); // 10.00 .. 500.00, same for every channel
        this.seq = 1_000 + Math.floorMod(tickerSeed >>> 20, 1_000_000);
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

    /** Whether this channel carries a dense {@code q} that sequence faults can disturb. */
    boolean hasSequence() {
        return type == EventType.T || type == EventType.Q || type == EventType.LULD;
    }

    /**
     * Advances the stream by one event and writes it to {@code out}.
     *
     * @param seqShift added to this event's {@code q} only (negative for a backwards value), or
     *                 permanently when {@code permanent} (a gap)
     */
    void next(ByteBuf out, long seqShift, boolean permanent) {
        count++;
        generated.lazySet(count);
        priceCents = Math.max(100, priceCents + rng.nextInt(7) - 3);
        if (permanent) {
            seq += seqShift;
        }
        seq++;
        long q = permanent ? seq : seq + seqShift;
        out.writeBytes(head);
        switch (type) {
            case T -> trade(out, q);
            case Q -> quote(out, q);
            case A -> aggregate(out, 1_000L);
            case AM -> aggregate(out, 60_000L);
            case LULD -> luld(out, q);
            case FMV -> fmv(out);
            default -> throw new IllegalStateException("unhandled channel " + type);
        }
        out.writeByte('}');
    }

    private void trade(ByteBuf out, long q) {
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
        timeSequenceTape(out, q);
    }

    private void quote(ByteBuf out, long q) {
        long spread = 1 + rng.nextInt(3);
        out.writeBytes(F_BX);
        Json.writeLong(out, 1 + rng.nextInt(20));
        out.writeBytes(F_BP);
        Json.writeFixed(out, priceCents - spread, 2);
        out.writeBytes(F_BS);
        Json.writeLong(out, 1 + rng.nextInt(30));
        out.writeBytes(F_AX);
        Json.writeLong(out, 1 + rng.nextInt(20));
        out.writeBytes(F_AP);
        Json.writeFixed(out, priceCents + spread, 2);
        out.writeBytes(F_AS);
        Json.writeLong(out, 1 + rng.nextInt(30));
        out.writeBytes(F_C_1_I_604_T);
        timeSequenceTape(out, q);
    }

    /** The common tail of trades and quotes: the {@code t} value, then {@code q} and {@code z}. */
    private void timeSequenceTape(ByteBuf out, long q) {
        Json.writeLong(out, BASE_TIME + count * 3);
        out.writeBytes(F_Q);
        Json.writeLong(out, q);
        out.writeBytes(F_Z);
        Json.writeLong(out, 1 + rng.nextInt(3));
    }

    private void aggregate(ByteBuf out, long window) {
        long open = priceCents;
        long close = Math.max(100, open + rng.nextInt(9) - 4);
        long high = Math.max(open, close) + rng.nextInt(3);
        long low = Math.max(1, Math.min(open, close) - rng.nextInt(3));
        long volume = 100 + rng.nextInt(5_000);
        dayVolume += volume;
        priceCents = close;
        long start = BASE_TIME + (count - 1) * window;
        out.writeBytes(F_V);
        Json.writeLong(out, volume);
        out.writeBytes(F_AV);
        Json.writeLong(out, dayVolume);
        out.writeBytes(F_OP);
        Json.writeFixed(out, open, 2);
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

    private void luld(ByteBuf out, long q) {
        out.writeBytes(F_H_2);
        Json.writeFixed(out, priceCents * 105 / 100, 2);
        out.writeBytes(F_L);
        Json.writeFixed(out, priceCents * 95 / 100, 2);
        out.writeBytes(F_I_21_Z);
        Json.writeLong(out, 1 + rng.nextInt(3));
        out.writeBytes(F_T);
        Json.writeLong(out, BASE_TIME + count * 1_000);
        out.writeBytes(F_Q);
        Json.writeLong(out, q);
    }

    private void fmv(ByteBuf out) {
        out.writeBytes(F_FMV);
        Json.writeFixed(out, priceCents, 2);
        out.writeBytes(F_T);
        Json.writeLong(out, BASE_TIME + count);
    }

}
