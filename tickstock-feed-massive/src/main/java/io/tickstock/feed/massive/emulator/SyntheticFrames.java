package io.tickstock.feed.massive.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tickstock.core.event.EventType;

import java.util.ArrayList;
import java.util.List;

/**
 * Frames exactly as the emulator sends them (same generator, same seed rules), for decode
 * benchmarks and tests that need realistic payloads without a socket.
 */
public final class SyntheticFrames {
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
        List<byte[]> out = new ArrayList<>(frames);
        ByteBuf buf = Unpooled.buffer(batchSize * 200);
        int cursor = 0;
        for (int f = 0; f < frames; f++) {
            buf.clear();
            buf.writeByte('[');
            for (int i = 0; i < batchSize; i++) {
                if (i > 0) {
                    buf.writeByte(',');
                }
                streams.get(cursor++ % streams.size()).next(buf, 0, false);
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
