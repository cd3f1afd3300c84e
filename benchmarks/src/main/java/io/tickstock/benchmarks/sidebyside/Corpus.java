package io.tickstock.benchmarks.sidebyside;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One connection's pre-built stream: T and Q events (compact JSON as the real feed sends them, half
 * trades, half quotes) for exactly the items that connection subscribed, {@value #EVENTS_PER_FRAME}
 * per frame, in one direct buffer. Built once, before timing starts, so the server only writes.
 * Deterministic: the same items, counts and start time give the same bytes.
 *
 * @param frames   each frame's payload, a slice of one buffer (the corpus owns it: {@link #release()})
 * @param events   events in all frames
 * @param warmupFrames the leading frames streamed as warm-up; the rest are timed
 */
record Corpus(List<ByteBuf> frames, ByteBuf whole, long events, int warmupFrames, long warmupEvents) {
    static final int EVENTS_PER_FRAME = 200;

    /**
     * Builds {@code warmupEvents + timedEvents} events (both rounded up to whole frames) for the T and Q items of
     * {@code subscribed}, their timestamps rising from {@code startMillis}.
     */
    static Corpus build(List<String> subscribed, long warmupEvents, long timedEvents, long startMillis) {
        List<String> items = subscribed.stream().filter(i -> i.startsWith("T.") || i.startsWith("Q.")).toList();
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a connection subscribed nothing the corpus can serve (T.X / Q.X)");
        }
        int warmupFrames = (int) ((warmupEvents + EVENTS_PER_FRAME - 1) / EVENTS_PER_FRAME);
        int timedFrames = (int) ((timedEvents + EVENTS_PER_FRAME - 1) / EVENTS_PER_FRAME);
        int frameCount = warmupFrames + timedFrames;
        long events = (long) frameCount * EVENTS_PER_FRAME;
        List<String> tickers = items.stream().map(i -> i.substring(2)).distinct().sorted().toList();
        Generator g = new Generator(items, tickers, startMillis);
        // ~140 B an event: one buffer, grown as needed, sliced into frames at the end
        ByteBuf whole = Unpooled.directBuffer((int) Math.min(Integer.MAX_VALUE - 8, events * 140));
        int[] ends = new int[frameCount];
        StringBuilder sb = new StringBuilder(64 * 1024);
        for (int f = 0; f < frameCount; f++) {
            sb.setLength(0);
            sb.append('[');
            for (int e = 0; e < EVENTS_PER_FRAME; e++) {
                if (e > 0) {
                    sb.append(',');
                }
                g.next(sb);
            }
            sb.append(']');
            whole.writeBytes(sb.toString().getBytes(StandardCharsets.US_ASCII));
            ends[f] = whole.writerIndex();
        }
        List<ByteBuf> frames = new ArrayList<>(frameCount);
        int start = 0;
        for (int end : ends) {
            frames.add(whole.slice(start, end - start));
            start = end;
        }
        return new Corpus(List.copyOf(frames), whole, events, warmupFrames, (long) warmupFrames * EVENTS_PER_FRAME);
    }

    long timedEvents() {
        return events - warmupEvents;
    }

    long bytes() {
        return whole.writerIndex();
    }

    void release() {
        whole.release();
    }

    /** A seeded random walk per ticker; sequence numbers increase per ticker, timestamps overall. */
    private static final class Generator {
        private final List<String> items;
        private final List<String> tickers;
        private final java.util.Map<String, Integer> tickerIndex = new java.util.HashMap<>();
        private final long[] priceCents;
        private final long[] seq;
        private final SplittableRandom random = new SplittableRandom(20_261_201L);
        private long timestamp;
        private long tradeId = 52_983_525_029_461L;
        private int n;

        Generator(List<String> items, List<String> tickers, long startMillis) {
            this.items = items;
            this.timestamp = startMillis;
            this.tickers = tickers;
            for (int i = 0; i < tickers.size(); i++) {
                tickerIndex.put(tickers.get(i), i);
            }
            priceCents = new long[tickers.size()];
            seq = new long[tickers.size()];
            for (int i = 0; i < priceCents.length; i++) {
                priceCents[i] = 1_000 + random.nextInt(50_000);
                seq[i] = 1_000 + random.nextInt(100_000);
            }
        }

        void next(StringBuilder sb) {
            String item = items.get(random.nextInt(items.size()));
            String sym = item.substring(2);
            int k = tickerIndex.get(sym);
            long p = Math.max(100, priceCents[k] + random.nextInt(-3, 4));
            priceCents[k] = p;
            long q = seq[k] += 1 + random.nextInt(3);
            if ((n++ & 7) == 0) {
                timestamp += 1;
            }
            int tape = 1 + random.nextInt(3);
            if (item.charAt(0) == 'T') {
                sb.append("{\"ev\":\"T\",\"sym\":\"").append(sym).append("\",\"i\":\"").append(tradeId++)
                        .append("\",\"x\":").append(1 + random.nextInt(20)).append(",\"p\":");
                price(sb, p);
                sb.append(",\"s\":").append(1 + random.nextInt(500));
                int c = random.nextInt(4);
                if (c == 1) {
                    sb.append(",\"c\":[37]");
                } else if (c == 2) {
                    sb.append(",\"c\":[12,37]");
                }
                sb.append(",\"t\":").append(timestamp).append(",\"q\":").append(q).append(",\"z\":").append(tape)
                        .append('}');
            } else {
                sb.append("{\"ev\":\"Q\",\"sym\":\"").append(sym).append("\",\"bx\":").append(1 + random.nextInt(20))
                        .append(",\"bp\":");
                price(sb, p - 1);
                sb.append(",\"bs\":").append(1 + random.nextInt(30)).append(",\"ax\":").append(1 + random.nextInt(20))
                        .append(",\"ap\":");
                price(sb, p + 1);
                sb.append(",\"as\":").append(1 + random.nextInt(30)).append(",\"c\":1,\"i\":[604],\"t\":")
                        .append(timestamp).append(",\"q\":").append(q).append(",\"z\":").append(tape).append('}');
            }
        }

        private static void price(StringBuilder sb, long cents) {
            sb.append(cents / 100).append('.');
            long c = cents % 100;
            if (c < 10) {
                sb.append('0');
            }
            sb.append(c);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Corpus[%d frames, %d events, %d bytes]", frames.size(), events, bytes());
    }
}
