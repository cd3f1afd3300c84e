package io.tickstock.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A command that writes its own RESP frame into Netty's buffer ({@link #encode}) instead of handing
 * Lettuce an argument list: the publisher's {@code PUBLISH}/{@code EVALSHA} ({@link PublishCommand})
 * and last-value {@code HSET} ({@link LastValueCommand}). Holds the reply output and the RESP pieces
 * both write; the subclass decides what an outcome means.
 */
abstract class RespCommand implements RedisCommand<byte[], byte[], Long> {
    static final byte[] CRLF = {'\r', '\n'};
    private static final CommandArgs<byte[], byte[]> NO_ARGS = new CommandArgs<>(ByteArrayCodec.INSTANCE);

    CommandOutput<byte[], byte[], Long> output;

    RespCommand(CommandOutput<byte[], byte[], Long> output) {
        this.output = output;
    }

    /** {@code head} (ASCII RESP) followed by {@code bulk} as a RESP bulk string: {@code $<n> <bulk>}. */
    static byte[] withLastBulk(String head, byte[] bulk) {
        byte[] start = (head + "$" + bulk.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[start.length + bulk.length + 2];
        System.arraycopy(start, 0, out, 0, start.length);
        System.arraycopy(bulk, 0, out, start.length, bulk.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    /** {@code *<n>}: the start of a frame of {@code n} arguments. */
    static void writeArrayHeader(ByteBuf buf, int n) {
        buf.writeByte('*');
        writeDecimal(buf, n);
        buf.writeBytes(CRLF);
    }

    /** {@code bytes[offset .. offset + length)} as a RESP bulk string. */
    static void writeBulk(ByteBuf buf, byte[] bytes, int offset, int length) {
        buf.writeByte('$');
        writeDecimal(buf, length);
        buf.writeBytes(CRLF);
        buf.writeBytes(bytes, offset, length);
        buf.writeBytes(CRLF);
    }

    static void writeDecimal(ByteBuf buf, int n) {
        if (n >= 10) {
            writeDecimal(buf, n / 10);
        }
        buf.writeByte('0' + n % 10);
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
        return NO_ARGS; // the frame is written by encode(); nothing reads the arguments of these commands
    }
}
