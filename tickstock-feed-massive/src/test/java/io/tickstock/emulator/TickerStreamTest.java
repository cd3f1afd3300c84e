package io.tickstock.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Trade;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TickerStreamTest {
    private static final long START = SyntheticFrames.START_MILLIS;
    private static final long DAY = START / 86_400_000L;

    private static String events(long seed, String ticker, EventType type, int n) {
        TickerStream s = new TickerStream(seed, ticker, type);
        ByteBuf out = Unpooled.buffer();
        out.writeByte('[');
        long now = START;
        for (int i = 0; i < n; now += 60_000) {
            int mark = out.writerIndex();
            if (i > 0) {
                out.writeByte(',');
            }
            if (s.next(out, 0, false, now, DAY)) {
                i++;
            } else {
                out.writerIndex(mark); // LULD only when its band moves
            }
        }
        out.writeByte(']');
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void theSameSeedGivesTheSameStreamAndAnotherSeedAnother() {
        assertThat(events(7, "AAPL", EventType.T, 50)).isEqualTo(events(7, "AAPL", EventType.T, 50));
        assertThat(events(7, "AAPL", EventType.T, 50)).isNotEqualTo(events(8, "AAPL", EventType.T, 50));
        assertThat(events(7, "AAPL", EventType.T, 50)).isNotEqualTo(events(7, "MSFT", EventType.T, 50));
    }

    @Test
    void everyChannelEncodesToWhatTheClientDecoderReads() {
        for (EventType type : EventType.values()) {
            List<MarketEvent> decoded = Decoded.frame(events(1, "BRK.B", type, 20));
            assertThat(decoded).as(type.name()).hasSize(20)
                    .allSatisfy(e -> {
                        assertThat(e.eventType()).isEqualTo(type);
                        assertThat(e.symbol()).isEqualTo("BRK.B");
                        assertThat(e.price()).isPositive();
                    });
            // sequences strictly increase: the de-duplicator sees 20 distinct events
            for (int i = 1; i < decoded.size(); i++) {
                assertThat(decoded.get(i).sequence()).isGreaterThan(decoded.get(i - 1).sequence());
            }
        }
    }

    @Test
    void sequenceShiftsMakeGapsAndBackwardsValues() {
        TickerStream s = new TickerStream(3, "AAPL", EventType.T);
        s.sequenceJumps = false;
        List<Long> q = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ByteBuf out = Unpooled.buffer();
            s.next(out, i == 1 ? 5 : i == 2 ? -2 : 0, i == 1, START + i, DAY);
            q.add(sequenceOf(out.toString(StandardCharsets.US_ASCII)));
        }
        assertThat(q.get(1) - q.get(0)).isEqualTo(6);
        assertThat(q.get(2)).isEqualTo(q.get(1) - 1);
        assertThat(q.get(3)).isEqualTo(q.get(1) + 2);
    }

    @Test
    void aNewTradingDateRestartsTheSequenceAndTimestampsAreTheClocks() {
        TickerStream s = new TickerStream(5, "MSFT", EventType.T);
        List<Trade> day1 = new ArrayList<>();
        List<Trade> day2 = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            day1.add(trade(s, START + i * 10L, DAY));
        }
        for (int i = 0; i < 5; i++) {
            day2.add(trade(s, START + 86_400_000L + i, DAY + 1));
        }
        assertThat(day1).extracting(Trade::timestamp).startsWith(START, START + 10);
        assertThat(day1.get(0).sequence()).isBetween(1L, 104L);
        assertThat(day1.get(299).sequence()).isGreaterThan(300);
        assertThat(day2.get(0).sequence()).isBetween(1L, 104L).isLessThan(day1.get(299).sequence());
        assertThat(day2).extracting(Trade::timestamp).containsExactly(START + 86_400_000L,
                START + 86_400_001L, START + 86_400_002L, START + 86_400_003L, START + 86_400_004L);
    }

    @Test
    void secondAndMinuteAggregatesComeOncePerWindowWithThatWindowsBounds() {
        TickerStream a = new TickerStream(5, "MSFT", EventType.A);
        TickerStream am = new TickerStream(5, "MSFT", EventType.AM);
        assertThat(a.advance(START + 10, DAY)).isTrue();
        assertThat(a.advance(START + 999, DAY)).isFalse();
        assertThat(a.advance(START + 1_000, DAY)).isTrue();
        assertThat(am.advance(START + 10, DAY)).isTrue();
        assertThat(am.advance(START + 59_999, DAY)).isFalse();
        assertThat(am.advance(START + 60_000, DAY)).isTrue();

        TickerStream b = new TickerStream(5, "MSFT", EventType.A);
        ByteBuf out = Unpooled.buffer();
        assertThat(b.next(out, 0, false, START + 1_500, DAY)).isTrue();
        String json = out.toString(StandardCharsets.US_ASCII);
        assertThat(json).contains("\"s\":" + (START + 1_000) + ",\"e\":" + (START + 2_000));
    }

    @Test
    void fmvIsStampedInNanosecondsOnTheWire() {
        TickerStream s = new TickerStream(5, "MSFT", EventType.FMV);
        ByteBuf out = Unpooled.buffer();
        s.next(out, 0, false, START, DAY);
        String json = out.toString(StandardCharsets.US_ASCII);
        long t = Long.parseLong(json.replaceAll(".*\"t\":(\\d+).*", "$1"));
        assertThat(t / 1_000_000L).isEqualTo(START);
    }

    @Test
    void sequencesIncreaseButNotAlwaysByOne() {
        TickerStream s = new TickerStream(9, "AAPL", EventType.T);
        long previous = -1;
        int ones = 0;
        int jumps = 0;
        for (int i = 0; i < 2_000; i++) {
            ByteBuf out = Unpooled.buffer();
            s.next(out, 0, false, START + i, DAY);
            long q = sequenceOf(out.toString(StandardCharsets.US_ASCII));
            if (previous >= 0) {
                long step = q - previous;
                assertThat(step).isBetween(1L, 5L);
                if (step == 1) {
                    ones++;
                } else {
                    jumps++;
                }
            }
            previous = q;
        }
        assertThat(jumps).isBetween(150, 350); // about one in eight
        assertThat(ones).isGreaterThan(1_500);
    }

    private static Trade trade(TickerStream s, long now, long day) {
        ByteBuf out = Unpooled.buffer();
        assertThat(s.next(out, 0, false, now, day)).isTrue();
        return (Trade) Decoded.one(out.toString(StandardCharsets.US_ASCII));
    }

    private static long sequenceOf(String json) {
        return Decoded.one(json).sequence();
    }
}
