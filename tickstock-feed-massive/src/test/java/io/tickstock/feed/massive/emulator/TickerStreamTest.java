package io.tickstock.feed.massive.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Trade;
import io.tickstock.feed.massive.MassiveFrameDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TickerStreamTest {
    private static String events(long seed, String ticker, EventType type, int n) {
        TickerStream s = new TickerStream(seed, ticker, type);
        ByteBuf out = Unpooled.buffer();
        out.writeByte('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.writeByte(',');
            }
            s.next(out, 0, false);
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
            String json = events(1, "BRK.B", type, 20);
            List<MarketEvent> decoded = new ArrayList<>();
            MassiveFrameDecoder decoder = new MassiveFrameDecoder("c");
            byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
            assertThat(decoder.decode(bytes, 0, bytes.length, new MassiveFrameDecoder.Sink() {
                @Override
                public void onEvent(MarketEvent event) {
                    decoded.add(event);
                }

                @Override
                public void onStatus(String status, String message) {
                }
            })).isEqualTo(MassiveFrameDecoder.Outcome.OK);
            assertThat(decoded).as(type.name()).hasSize(20)
                    .allSatisfy(e -> {
                        assertThat(e.eventType()).isEqualTo(type);
                        assertThat(e.symbol()).isEqualTo("BRK.B");
                        assertThat(e.price()).isPositive();
                    });
            assertThat(decoder.unknownFields()).as(type.name()).isZero();
            // sequences strictly increase: the de-duplicator sees 20 distinct events
            for (int i = 1; i < decoded.size(); i++) {
                assertThat(decoded.get(i).sequence()).isGreaterThan(decoded.get(i - 1).sequence());
            }
        }
    }

    @Test
    void sequenceShiftsMakeGapsAndBackwardsValues() {
        TickerStream s = new TickerStream(3, "AAPL", EventType.T);
        List<Long> q = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ByteBuf out = Unpooled.buffer();
            s.next(out, i == 1 ? 5 : i == 2 ? -2 : 0, i == 1);
            q.add(sequenceOf(out.toString(StandardCharsets.US_ASCII)));
        }
        assertThat(q.get(1) - q.get(0)).isEqualTo(6);
        assertThat(q.get(2)).isEqualTo(q.get(1) - 1);
        assertThat(q.get(3)).isEqualTo(q.get(1) + 2);
    }

    private static long sequenceOf(String json) {
        List<MarketEvent> decoded = new ArrayList<>();
        byte[] bytes = ("[" + json + "]").getBytes(StandardCharsets.US_ASCII);
        new MassiveFrameDecoder("c").decode(bytes, 0, bytes.length, new MassiveFrameDecoder.Sink() {
            @Override
            public void onEvent(MarketEvent event) {
                decoded.add(event);
            }

            @Override
            public void onStatus(String status, String message) {
            }
        });
        return ((Trade) decoded.get(0)).sequence();
    }
}
