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

    @Test
    void scriptCallCarriesTheWholeBatchAfterTheScriptsHeader() {
        MessageBatch batch = new MessageBatch(4, null);
        batch.add(TestTicks.trade("AAPL", 178.23, 50_000, 1_705_853_696_123L, 0));
        batch.add(TestTicks.trade("ÄB", 1.5, 1, 1_705_853_696_124L, 1));
        byte[] header = PublishScript.header("ch".getBytes(StandardCharsets.UTF_8));
        PublishCommand c = PublishCommand.script(header, PublishScript.HEADER_ARGS, batch, null, null,
                PublishCommand.replies());
        ByteBuf buf = Unpooled.buffer();
        c.encode(buf);
        String m0 = new String(batch.copy(0), StandardCharsets.UTF_8);
        String m1 = new String(batch.copy(1), StandardCharsets.UTF_8);
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("*6\r\n$7\r\nEVALSHA\r\n$40\r\n" + PublishScript.SHA
                + "\r\n$1\r\n0\r\n$2\r\nch\r\n$" + batch.copy(0).length + "\r\n" + m0 + "\r\n$"
                + batch.copy(1).length + "\r\n" + m1 + "\r\n");
        assertThat(c.ticks()).isEqualTo(2);
        assertThat(c.isScript()).isTrue();
        assertThat(c.getType()).isEqualTo(io.lettuce.core.protocol.CommandType.EVALSHA);
    }

    @Test
    void onlyErrorsRaisedBeforeTheScriptRanAllowAResend() {
        assertThat(PublishScript.isMissing("NOSCRIPT No matching script. Please use EVAL.")).isTrue();
        assertThat(PublishScript.isRefused("NOPERM User ticks has no permissions to run the 'evalsha' command")).isTrue();
        assertThat(PublishScript.isRefused("ERR unknown command 'EVALSHA', with args beginning with: ")).isTrue();
        // raised by a PUBLISH inside the script: earlier messages of the batch may be out already
        assertThat(PublishScript.isRefused("NOPERM No permissions to access a channel script: abc, on @user_script:3."))
                .isFalse();
        assertThat(PublishScript.isMissing("ERR Error running script")).isFalse();
        assertThat(PublishScript.isRefused(null)).isFalse();
    }
}
