package io.tickstock.redis;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tickstock.core.event.Tick;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The JSON messages of one batch written back to back into one array that is reused from batch to
 * batch: no array per tick. Message {@code i} is {@code bytes()[start(i) .. end(i))}. Trades and quotes
 * are written straight into the array by {@link TradeQuoteWriter}, anything it declines by Jackson: the
 * same bytes either way. Publisher thread only.
 */
final class MessageBatch extends OutputStream {
    private final JsonGenerator gen = TickJson.generator(this);
    private final char[] scratch = TickJson.scratch();
    private final TradeQuoteWriter direct = new TradeQuoteWriter();
    private final String sourceLabel; // null: each tick's own source
    private byte[] bytes;
    private int size;
    private int[] ends;
    private int count;

    MessageBatch(int batchSize, String sourceLabel) {
        this.sourceLabel = sourceLabel;
        this.bytes = new byte[batchSize * 64]; // grows to the batch's real size once, then is reused
        this.ends = new int[batchSize];
    }

    /** Appends the tick's message (the documented JSON shape). */
    void add(Tick tick) {
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, count * 2);
        }
        String source = sourceLabel == null ? tick.source() : sourceLabel;
        int room = TradeQuoteWriter.maxLength(tick, source);
        if (room >= 0) {
            ensure(room);
            int end = direct.write(tick, source, bytes, size);
            if (end >= 0) {
                size = end;
                ends[count++] = size;
                return;
            }
        }
        try { // Jackson's generator is flushed after every message, so it holds nothing of the direct ones
            TickJson.writeTick(gen, tick, source, scratch);
            gen.flush(); // into this stream: one copy out of Jackson's buffer
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode tick for " + tick.symbol(), e);
        }
        ends[count++] = size;
    }

    /** Forgets every message; the array stays for the next batch. */
    void clear() {
        size = 0;
        count = 0;
    }

    int count() {
        return count;
    }

    /** The array holding the messages; valid until the next {@link #add} or {@link #clear}. */
    byte[] bytes() {
        return bytes;
    }

    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    int end(int i) {
        return ends[i];
    }

    /** A copy of message {@code i} (for the few commands that need an array of their own). */
    byte[] copy(int i) {
        return Arrays.copyOfRange(bytes, start(i), end(i));
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
