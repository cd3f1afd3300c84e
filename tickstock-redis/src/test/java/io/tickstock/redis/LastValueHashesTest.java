package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tickstock.core.event.Tick;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LastValueHashesTest {
    private static final long T0 = 1_705_853_696_123L;

    /** The RESP of the commands one batch adds, with each message written as {@code <m index>}. */
    private static List<String> commands(LastValueHashes h, Tick... ticks) {
        MessageBatch messages = new MessageBatch(ticks.length, null);
        for (Tick t : ticks) {
            messages.add(t);
        }
        List<RedisCommand<byte[], byte[], ?>> out = new ArrayList<>();
        h.addCommands(ticks, messages, out);
        List<String> resp = new ArrayList<>();
        for (RedisCommand<byte[], byte[], ?> c : out) {
            ByteBuf buf = Unpooled.buffer();
            c.encode(buf);
            String s = buf.toString(StandardCharsets.UTF_8);
            for (int i = 0; i < messages.count(); i++) {
                s = s.replace(new String(messages.copy(i), StandardCharsets.UTF_8), "<m" + i + ">");
            }
            resp.add(s.replaceAll("\\$\\d+\r\n<m", "<m").replace("\r\n", " ").replaceAll("\\$\\d+ ", "").strip());
        }
        return resp;
    }

    private static Tick t(String symbol, int seq) {
        return TestTicks.trade(symbol, 1, 1, T0 + seq, seq);
    }

    private static Tick q(String symbol, int seq) {
        return TestTicks.quote(symbol, 1, 2, T0 + seq, seq);
    }

    @Test
    void oneHsetPerTypeWithEachTickersLatestMessageInOrderOfFirstAppearance() {
        LastValueHashes h = new LastValueHashes(new LastValueConfig(true, "lv:", 100));
        assertThat(commands(h, t("A", 0), q("A", 1), t("B", 2), t("A", 3), q("C", 4), t("B", 5), t("A", 6)))
                .containsExactly("*6 HSET lv:T A <m6> B <m5>", "*6 HSET lv:Q A <m1> C <m4>");
        // the next batch takes each ticker again, however often it came before
        assertThat(commands(h, t("B", 7), t("A", 8), t("B", 9)))
                .containsExactly("*6 HSET lv:T B <m2> A <m1>");
        assertThat(commands(h, q("C", 10))).containsExactly("*4 HSET lv:Q C <m0>");
        assertThat(h.evicted()).isZero();
    }

    @Test
    void beyondTheCapTheTickerWrittenLongestAgoIsDeletedAfterTheHset() {
        LastValueHashes h = new LastValueHashes(new LastValueConfig(true, "lv:", 2));
        assertThat(commands(h, t("A", 0), t("B", 1))).containsExactly("*6 HSET lv:T A <m0> B <m1>");
        assertThat(commands(h, t("A", 2), t("C", 3))).containsExactly("*6 HSET lv:T A <m0> C <m1>", "*3 HDEL lv:T B");
        assertThat(commands(h, t("D", 4), t("E", 5), t("F", 6)))
                .containsExactly("*8 HSET lv:T D <m0> E <m1> F <m2>", "*5 HDEL lv:T A C D");
        assertThat(h.evicted()).isEqualTo(4);
        // a deleted ticker is new again
        assertThat(commands(h, t("B", 7))).containsExactly("*4 HSET lv:T B <m0>", "*3 HDEL lv:T E");
        assertThat(h.evicted()).isEqualTo(5);
    }
}
