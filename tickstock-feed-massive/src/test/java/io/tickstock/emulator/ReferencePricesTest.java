package io.tickstock.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.universe.BundledUniverseSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReferencePricesTest {
    @Test
    void everyBundledTickerHasAPlausiblePrice() {
        BundledUniverseSource bundled = new BundledUniverseSource();
        for (String key : bundled.keys()) {
            for (String ticker : bundled.load(key).orElseThrow()) {
                assertThat(ReferencePrices.isListed(ticker)).as(ticker).isTrue();
                assertThat(ReferencePrices.cents(ticker)).as(ticker).isBetween(100L, 1_000_000L);
            }
        }
        assertThat(ReferencePrices.cents("BAC")).isBetween(4_000L, 5_000L);
        assertThat(ReferencePrices.cents("MA")).isBetween(50_000L, 60_000L);
        assertThat(ReferencePrices.cents("BRK.B")).isBetween(45_000L, 52_000L);
    }

    @Test
    void anUnlistedTickerGetsAFixedFallbackFromItsNameAlone() {
        long zzzz = ReferencePrices.cents("ZZZZ");
        assertThat(zzzz).isBetween(ReferencePrices.FALLBACK_MIN_CENTS, ReferencePrices.FALLBACK_MAX_CENTS)
                .isEqualTo(ReferencePrices.cents("ZZZZ"));
        assertThat(ReferencePrices.isListed("ZZZZ")).isFalse();
        assertThat(ReferencePrices.cents("TK0001")).isNotEqualTo(ReferencePrices.cents("TK0002"));
    }

    @Test
    void theWalkStaysAroundTheReferenceForEverySeed() {
        for (long seed : new long[]{1, 42, 7_777}) {
            for (String ticker : List.of("BAC", "MA", "AZO", "AMCR")) {
                double ref = ReferencePrices.cents(ticker) / 100.0;
                TickerStream s = new TickerStream(seed, ticker, EventType.T);
                List<MarketEvent> trades = decode(s, 20_000);
                assertThat(trades).as(ticker).allSatisfy(t ->
                        assertThat(t.price()).isBetween(ref * 0.95, ref * 1.05));
                assertThat(trades.get(0).price()).isCloseTo(ref, org.assertj.core.data.Offset.offset(ref * 0.001 + 0.03));
            }
        }
    }

    private static List<MarketEvent> decode(TickerStream s, int n) {
        ByteBuf out = Unpooled.buffer();
        out.writeByte('[');
        long start = SyntheticFrames.START_MILLIS;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.writeByte(',');
            }
            s.next(out, 0, false, start + i, start / 86_400_000L);
        }
        out.writeByte(']');
        List<MarketEvent> decoded = Decoded.frame(out.toString(StandardCharsets.US_ASCII));
        assertThat(decoded).hasSize(n);
        return decoded;
    }
}
