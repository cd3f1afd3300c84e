package io.tickstock.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/**
 * One last-value {@code HSET key ticker message [ticker message ...]} written straight from the batch's
 * message array ({@link MessageBatch}), like {@link PublishCommand}: the {@code HSET key} part is encoded
 * once per hash, each value is a slice of the array (no copy, no argument list). Its outcome is counted
 * once: the fields as written when Redis accepted it, one failure otherwise (error reply, lost
 * connection, cancelled).
 *
 * <p>The slices stay valid because the publisher reuses a batch's array only once Redis has answered
 * every {@code PUBLISH} of the batch, and this command goes before them on the same connection.
 */
final class LastValueCommand extends RespCommand {
    private static final AtomicIntegerFieldUpdater<LastValueCommand> DONE =
            AtomicIntegerFieldUpdater.newUpdater(LastValueCommand.class, "done");

    private final byte[] header;
    private final byte[][] fields;
    private final int[] messageIndexes;
    private final MessageBatch messages;
    private final LongAdder written;
    private final LongAdder failed;
    private volatile int done; // 1 once counted
    private volatile boolean cancelled;

    /**
     * {@code HSET} with field {@code fields[i]} = message {@code messageIndexes[i]} of {@code messages}
     * (which must not change until this command is done); {@code header} from {@link #header}.
     */
    LastValueCommand(byte[] header, byte[][] fields, int[] messageIndexes, MessageBatch messages, LongAdder written,
                     LongAdder failed) {
        super(new IntegerOutput<>(ByteArrayCodec.INSTANCE));
        this.header = header;
        this.fields = fields;
        this.messageIndexes = messageIndexes;
        this.messages = messages;
        this.written = written;
        this.failed = failed;
    }

    /** {@code $4 HSET $<n> <key>} in RESP, shared by every command on that hash. */
    static byte[] header(byte[] key) {
        return withLastBulk("$4\r\nHSET\r\n", key);
    }

    /** The fields this command sets. */
    int fields() {
        return fields.length;
    }

    @Override
    public void encode(ByteBuf buf) {
        writeArrayHeader(buf, 2 + 2 * fields.length);
        buf.writeBytes(header);
        byte[] all = messages.bytes();
        for (int i = 0; i < fields.length; i++) {
            byte[] f = fields[i];
            writeBulk(buf, f, 0, f.length);
            int m = messageIndexes[i];
            int from = messages.start(m);
            writeBulk(buf, all, from, messages.end(m) - from);
        }
    }

    private boolean count(boolean ok) {
        if (!DONE.compareAndSet(this, 0, 1)) {
            return false;
        }
        if (ok) {
            written.add(fields.length);
        } else {
            failed.increment();
        }
        return true;
    }

    @Override
    public void complete() {
        count(output == null || output.getError() == null);
    }

    @Override
    public boolean completeExceptionally(Throwable throwable) {
        return count(false);
    }

    @Override
    public void cancel() {
        if (count(false)) {
            cancelled = true;
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public boolean isDone() {
        return done != 0;
    }

    @Override
    public ProtocolKeyword getType() {
        return CommandType.HSET;
    }

    @Override
    public String toString() {
        return "HSET (" + fields.length + " fields)";
    }
}
