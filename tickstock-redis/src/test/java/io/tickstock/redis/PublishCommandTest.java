package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PublishCommandTest {
    private static final byte[] HEADER = PublishCommand.header("tickstock:market:ticks".getBytes(StandardCharsets.UTF_8));

    @Test
    void encodesExactlyTheRespOfPublish() {
        String msg = "{\"type\":\"market_tick\",\"symbol\":\"ÄB\"}"; // non-ASCII: length is in bytes
        byte[] bytes = msg.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.buffer();
        new PublishCommand(HEADER, bytes, null).encode(buf);
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("*3\r\n$7\r\nPUBLISH\r\n$22\r\ntickstock:market:ticks\r\n$"
                + bytes.length + "\r\n" + msg + "\r\n");
    }

    @Test
    void outcomeIsDecidedOnceAndTheLastCommandOpensTheBatchLatch() {
        CountDownLatch done = new CountDownLatch(1);
        PublishCommand last = new PublishCommand(HEADER, new byte[1], done);
        assertThat(last.isDone()).isFalse();
        last.getOutput().set(1L);
        last.complete();
        assertThat(last.state()).isEqualTo(PublishCommand.OK);
        assertThat(done.getCount()).isZero();
        assertThat(last.cancelIfPending()).isFalse();
        assertThat(last.completeExceptionally(new IllegalStateException("late"))).isFalse();
        assertThat(last.state()).isEqualTo(PublishCommand.OK);

        PublishCommand timedOut = new PublishCommand(HEADER, new byte[1], null);
        assertThat(timedOut.cancelIfPending()).isTrue();
        timedOut.complete(); // a late reply changes nothing
        assertThat(timedOut.isCancelled()).isTrue();

        PublishCommand refused = new PublishCommand(HEADER, new byte[1], null);
        refused.getOutput().setError("ERR something");
        refused.complete();
        assertThat(refused.state()).isEqualTo(PublishCommand.FAILED);
        assertThat(refused.error()).isEqualTo("ERR something");
    }
}
