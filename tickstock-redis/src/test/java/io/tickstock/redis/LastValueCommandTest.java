package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class LastValueCommandTest {
    private static final byte[] HEADER = LastValueCommand.header("lv:T".getBytes(StandardCharsets.UTF_8));

    private static MessageBatch batch() {
        MessageBatch b = new MessageBatch(4, null);
        b.add(TestTicks.trade("AAPL", 178.23, 50_000, 1_705_853_696_123L, 0));
        b.add(TestTicks.trade("ÄB", 1.5, 1, 1_705_853_696_124L, 1));
        b.add(TestTicks.trade("AAPL", 178.24, 100, 1_705_853_696_125L, 2));
        return b;
    }

    private static String message(MessageBatch b, int i) {
        return new String(b.copy(i), StandardCharsets.UTF_8);
    }

    @Test
    void encodesExactlyTheRespOfHsetWithSlicesOfTheBatch() {
        MessageBatch b = batch();
        byte[][] fields = {"AAPL".getBytes(StandardCharsets.UTF_8), "ÄB".getBytes(StandardCharsets.UTF_8)};
        LastValueCommand c = new LastValueCommand(HEADER, fields, new int[] {2, 1}, b, new LongAdder(), new LongAdder());
        ByteBuf buf = Unpooled.buffer();
        c.encode(buf);
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("*6\r\n$4\r\nHSET\r\n$4\r\nlv:T\r\n"
                + "$4\r\nAAPL\r\n$" + b.copy(2).length + "\r\n" + message(b, 2) + "\r\n"
                + "$3\r\nÄB\r\n$" + b.copy(1).length + "\r\n" + message(b, 1) + "\r\n"); // lengths in bytes
        assertThat(c.getType()).isEqualTo(io.lettuce.core.protocol.CommandType.HSET);
        assertThat(c.fields()).isEqualTo(2);
    }

    @Test
    void countsTheFieldsWhenRedisAcceptsAndOneFailureOtherwiseOnce() {
        LongAdder written = new LongAdder();
        LongAdder failed = new LongAdder();
        byte[][] two = {{'A'}, {'B'}};
        LastValueCommand ok = new LastValueCommand(HEADER, two, new int[] {0, 1}, batch(), written, failed);
        ok.getOutput().set(2L);
        ok.complete();
        ok.completeExceptionally(new IllegalStateException("late")); // decided already
        ok.cancel();
        assertThat(ok.isDone()).isTrue();
        assertThat(ok.isCancelled()).isFalse();
        assertThat(written.sum()).isEqualTo(2);
        assertThat(failed.sum()).isZero();

        LastValueCommand refused = new LastValueCommand(HEADER, two, new int[] {0, 1}, batch(), written, failed);
        refused.getOutput().setError("OOM command not allowed when used memory > 'maxmemory'.");
        refused.complete();
        assertThat(failed.sum()).isEqualTo(1);

        LastValueCommand lost = new LastValueCommand(HEADER, two, new int[] {0, 1}, batch(), written, failed);
        assertThat(lost.completeExceptionally(new IllegalStateException("connection lost"))).isTrue();
        assertThat(failed.sum()).isEqualTo(2);

        LastValueCommand cancelled = new LastValueCommand(HEADER, two, new int[] {0, 1}, batch(), written, failed);
        cancelled.cancel();
        cancelled.complete(); // a late reply changes nothing
        assertThat(cancelled.isCancelled()).isTrue();
        assertThat(cancelled.isDone()).isTrue();
        assertThat(failed.sum()).isEqualTo(3);
        assertThat(written.sum()).isEqualTo(2);
    }
}
