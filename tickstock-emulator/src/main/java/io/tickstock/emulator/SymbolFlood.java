package io.tickstock.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes trades for many distinct symbols nobody subscribed to, in frames of {@value #EVENTS_PER_FRAME}
 * events, a few frames at a time while the connection is writable, so that a flood of millions of
 * symbols costs the emulator bounded memory. Runs on the emulator's event loop.
 */
final class SymbolFlood {
    static final int EVENTS_PER_FRAME = 100;
    private static final int FRAMES_PER_STEP = 16;
    /** Ten characters (the longest valid ticker), so it never names a real one. */
    private static final String PREFIX = "ZZ";
    private static final int DIGITS = 8;

    private final EmulatorSession session;
    private final long firstIndex;
    private final int symbols;
    private final long nowMillis;
    private final CompletableFuture<Integer> done = new CompletableFuture<>();
    private int written;

    private SymbolFlood(EmulatorSession session, long firstIndex, int symbols, long nowMillis) {
        this.session = session;
        this.firstIndex = firstIndex;
        this.symbols = symbols;
        this.nowMillis = nowMillis;
    }

    /** Starts a flood of {@code symbols} events, symbol numbers from {@code firstIndex}; completes with the count written. */
    static CompletableFuture<Integer> start(EmulatorSession session, long firstIndex, int symbols, long nowMillis) {
        SymbolFlood f = new SymbolFlood(session, firstIndex, symbols, nowMillis);
        session.writeFrame(); // the frame under construction goes first, whole
        f.step();
        return f.done;
    }

    /** The symbol of flood number {@code index}: {@code ZZ} and eight base-36 digits. */
    static String symbol(long index) {
        String digits = Long.toString(index, 36).toUpperCase(java.util.Locale.ROOT);
        return PREFIX + "0".repeat(Math.max(0, DIGITS - digits.length())) + digits;
    }

    private void step() {
        Channel ch = session.channel();
        if (!session.isOpen() || !ch.isOpen()) {
            done.complete(written);
            return;
        }
        for (int f = 0; f < FRAMES_PER_STEP && written < symbols && ch.isWritable(); f++) {
            int n = Math.min(EVENTS_PER_FRAME, symbols - written);
            ByteBuf frame = ch.alloc().buffer(n * 110 + 2);
            frame.writeByte('[');
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    frame.writeByte(',');
                }
                long index = firstIndex + written + i;
                frame.writeCharSequence("{\"ev\":\"T\",\"sym\":\"" + symbol(index) + "\",\"i\":\"" + index
                        + "\",\"x\":4,\"p\":12.34,\"s\":100,\"t\":" + nowMillis + ",\"q\":1,\"z\":3}",
                        java.nio.charset.StandardCharsets.US_ASCII);
            }
            frame.writeByte(']');
            session.writeRaw(frame);
            session.countFloodEvents(n);
            written += n;
        }
        ch.flush();
        if (written >= symbols) {
            done.complete(written);
        } else if (ch.isWritable()) {
            ch.eventLoop().execute(this::step);
        } else {
            ch.eventLoop().schedule(this::step, 1, TimeUnit.MILLISECONDS); // the reader catches up meanwhile
        }
    }
}
