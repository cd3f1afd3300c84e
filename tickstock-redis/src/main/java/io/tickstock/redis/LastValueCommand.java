package io.tickstock.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
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
final class LastValueCommand implements RedisCommand<byte[], byte[], Long> {
    private static final AtomicIntegerFieldUpdater<LastValueCommand> DONE =
            AtomicIntegerFieldUpdater.newUpdater(LastValueCommand.class, "done");
    private static final CommandArgs<byte[], byte[]> NO_ARGS = new CommandArgs<>(ByteArrayCodec.INSTANCE);
    private static final byte[] CRLF = {'\r', '\n'};

    private final byte[] header;
    private final byte[][] fields;
    private final int[] messageIndexes;
    private final MessageBatch messages;
    private final LongAdder written;
    private final LongAdder failed;
    private CommandOutput<byte[], byte[], Long> output = new IntegerOutput<>(ByteArrayCodec.INSTANCE);
    private volatile int done; // 1 once counted
    private volatile boolean cancelled;

    /**
     * {@code HSET} with field {@code fields[i]} = message {@code messageIndexes[i]} of {@code messages}
     * (which must not change until this command is done); {@code header} from {@link #header}.
     */
    LastValueCommand(byte[] header, byte[][] fields, int[] messageIndexes, MessageBatch messages, LongAdder written,
                     LongAdder failed) {
        this.header = header;
        this.fields = fields;
        this.messageIndexes = messageIndexes;
        this.messages = messages;
        this.written = written;
        this.failed = failed;
    }

    /** {@code $4 HSET $<n> <key>} in RESP, shared by every command on that hash. */
    static byte[] header(byte[] key) {
        return PublishCommand.withLastBulk("$4\r\nHSET\r\n", key);
    }

    /** The fields this command sets. */
    int fields() {
        return fields.length;
    }

    @Override
    public void encode(ByteBuf buf) {
        buf.writeByte('*');
        PublishCommand.writeDecimal(buf, 2 + 2 * fields.length);
        buf.writeBytes(CRLF);
        buf.writeBytes(header);
        byte[] all = messages.bytes();
        for (int i = 0; i < fields.length; i++) {
            byte[] f = fields[i];
            PublishCommand.writeBulk(buf, f, 0, f.length);
            int m = messageIndexes[i];
            int from = messages.start(m);
            PublishCommand.writeBulk(buf, all, from, messages.end(m) - from);
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
    public CommandOutput<byte[], byte[], Long> getOutput() {
        return output;
    }

    @Override
    public void setOutput(CommandOutput<byte[], byte[], Long> output) {
        this.output = output;
    }

    @Override
    public CommandArgs<byte[], byte[]> getArgs() {
        return NO_ARGS; // encoded by encode()
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
