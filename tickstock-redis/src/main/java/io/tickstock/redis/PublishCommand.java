package io.tickstock.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One {@code PUBLISH channel message}, or one {@code EVALSHA} of the {@link PublishScript} carrying a whole
 * batch's messages, lighter than Lettuce's generic command + argument list + future: the fixed part of
 * the RESP frame is encoded once per publisher, the messages are slices of the batch's one message array
 * ({@link MessageBatch}) written straight into Netty's buffer, the reply goes to one output shared by the
 * whole batch, and the outcome is a plain state that the publisher thread reads. The last command of a
 * batch releases a latch, so the publisher can wait for a whole batch at once (Redis answers a
 * connection's commands in order).
 */
final class PublishCommand extends RespCommand {
    static final int PENDING = 0;
    static final int OK = 1;
    static final int FAILED = 2;
    static final int CANCELLED = 3;

    private static final AtomicIntegerFieldUpdater<PublishCommand> STATE =
            AtomicIntegerFieldUpdater.newUpdater(PublishCommand.class, "state");

    private final byte[] header;
    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final MessageBatch messages; // non-null: every message of it, after a header of headerArgs arguments
    private final int headerArgs;
    private final ProtocolKeyword type;
    private final CountDownLatch batchDone; // non-null on the last command of a batch
    private final Runnable onEncode; // non-null when the publisher wants to learn the channel's event loop
    private volatile int state;
    private volatile String error;

    PublishCommand(byte[] header, byte[] message, CountDownLatch batchDone) {
        this(header, message, 0, message.length, batchDone, null, replies());
    }

    /**
     * Publishes {@code bytes[offset .. offset + length)}, which must not change until the command is
     * done. {@code onEncode} runs when the command is encoded, i.e. on its channel's event loop;
     * {@code replies} may be shared by the commands of one connection (see {@link #replies()}).
     */
    PublishCommand(byte[] header, byte[] bytes, int offset, int length, CountDownLatch batchDone, Runnable onEncode,
                   CommandOutput<byte[], byte[], Long> replies) {
        this(header, bytes, offset, length, null, 0, CommandType.PUBLISH, batchDone, onEncode, replies);
    }

    private PublishCommand(byte[] header, byte[] bytes, int offset, int length, MessageBatch messages, int headerArgs,
                           ProtocolKeyword type, CountDownLatch batchDone, Runnable onEncode,
                           CommandOutput<byte[], byte[], Long> replies) {
        super(replies);
        this.header = header;
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.messages = messages;
        this.headerArgs = headerArgs;
        this.type = type;
        this.batchDone = batchDone;
        this.onEncode = onEncode;
    }

    /**
     * One {@code EVALSHA} whose arguments are {@code header}'s {@code headerArgs} (see
     * {@link PublishScript#header}) followed by every message of {@code messages}, which must not change
     * until the command is done.
     */
    static PublishCommand script(byte[] header, int headerArgs, MessageBatch messages, CountDownLatch batchDone,
                                 Runnable onEncode, CommandOutput<byte[], byte[], Long> replies) {
        return new PublishCommand(header, null, 0, 0, messages, headerArgs, CommandType.EVALSHA, batchDone, onEncode,
                replies);
    }

    /** The ticks this command publishes. */
    int ticks() {
        return messages == null ? 1 : messages.count();
    }

    /** Whether this is a script's {@code EVALSHA} (else one {@code PUBLISH}). */
    boolean isScript() {
        return messages != null;
    }

    /**
     * An output that commands of one batch can share: Lettuce decodes one reply into it and completes
     * that reply's command before it reads the next reply, and {@link #complete()} takes the error out.
     */
    static CommandOutput<byte[], byte[], Long> replies() {
        return new IntegerOutput<>(ByteArrayCodec.INSTANCE);
    }

    /** {@code *3 $7 PUBLISH $<n> <channel>} in RESP, shared by every command on that channel. */
    static byte[] header(byte[] channel) {
        return withLastBulk("*3\r\n$7\r\nPUBLISH\r\n", channel);
    }

    int state() {
        return state;
    }

    String error() {
        return error;
    }

    private boolean finish(int to) {
        if (STATE.compareAndSet(this, PENDING, to)) {
            if (batchDone != null) {
                batchDone.countDown();
            }
            return true;
        }
        return false;
    }

    @Override
    public void encode(ByteBuf buf) {
        if (onEncode != null) {
            onEncode.run();
        }
        if (messages == null) {
            buf.writeBytes(header);
            writeBulk(buf, bytes, offset, length);
            return;
        }
        int n = messages.count();
        writeArrayHeader(buf, headerArgs + n);
        buf.writeBytes(header);
        byte[] all = messages.bytes();
        for (int i = 0; i < n; i++) {
            int from = messages.start(i);
            writeBulk(buf, all, from, messages.end(i) - from);
        }
    }

    @Override
    public void complete() {
        String err = output == null ? null : output.getError();
        if (err != null) {
            output.setError((String) null); // the output may serve the next reply
            error = err;
            finish(FAILED);
        } else {
            finish(OK);
        }
    }

    @Override
    public boolean completeExceptionally(Throwable throwable) {
        error = throwable.getClass().getSimpleName() + (throwable.getMessage() == null ? ""
                : ": " + throwable.getMessage());
        return finish(FAILED);
    }

    @Override
    public void cancel() {
        finish(CANCELLED);
    }

    /** Cancels if still pending; true when this call decided the outcome. */
    boolean cancelIfPending() {
        return finish(CANCELLED);
    }

    @Override
    public boolean isCancelled() {
        return state == CANCELLED;
    }

    @Override
    public boolean isDone() {
        return state != PENDING;
    }

    @Override
    public ProtocolKeyword getType() {
        return type;
    }

    @Override
    public String toString() {
        return messages == null ? "PUBLISH (" + length + " bytes)" : "EVALSHA (" + messages.count() + " messages)";
    }
}
