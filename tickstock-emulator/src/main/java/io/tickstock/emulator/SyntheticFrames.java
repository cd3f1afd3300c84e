package io.tickstock.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tickstock.core.event.EventType;

import java.util.ArrayList;
import java.util.List;

/**
 * Frames exactly as the emulator sends them (same generator, same seed rules), for decode
 * benchmarks and tests that need realistic payloads without a socket. Timestamps are fixed so that
 * the same arguments give the same bytes: a stream's n-th event is stamped one minute after its
 * previous one, from {@link #START_MILLIS}, all on one trading date.
 */
public final class SyntheticFrames {
    /** 2026-01-02T14:30:00Z, the regular-session open of that day. */
    public static final long START_MILLIS = 1_767_364_200_000L;
    private static final long STEP_MILLIS = 60_000L;

    private SyntheticFrames() {
    }

    /**
     * {@code frames} frames of {@code batchSize} events each, cycling over every
     * {@code (channel, ticker)} pair in order.
     */
    public static List<byte[]> frames(long seed, List<String> tickers, List<EventType> channels, int batchSize,
                                      int frames) {
        List<TickerStream> streams = new ArrayList<>();
        for (EventType type : channels) {
            for (String t : tickers) {
                streams.add(new TickerStream(seed, t, type));
            }
        }
        long[] visits = new long[streams.size()];
        long day = START_MILLIS / 86_400_000L;
        List<byte[]> out = new ArrayList<>(frames);
        ByteBuf buf = Unpooled.buffer(batchSize * 200);
        int cursor = 0;
        for (int f = 0; f < frames; f++) {
            buf.clear();
            buf.writeByte('[');
            int written = 0;
            while (written < batchSize) {
                int i = cursor++ % streams.size();
                TickerStream s = streams.get(i);
                int mark = buf.writerIndex();
                if (written > 0) {
                    buf.writeByte(',');
                }
                if (s.next(buf, 0, false, START_MILLIS + visits[i]++ * STEP_MILLIS, day)) {
                    written++;
                } else {
                    buf.writerIndex(mark); // LULD sends only when its band moves
                }
            }
            buf.writeByte(']');
            byte[] frame = new byte[buf.readableBytes()];
            buf.readBytes(frame);
            out.add(frame);
        }
        buf.release();
        return out;
    }
}
