package io.tickstock.feed.massive.internal;

import io.tickstock.core.event.Aggregate;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.FairMarketValue;
import io.tickstock.core.event.LimitUpDown;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MassiveFrameDecoderTest {
    private final MassiveFrameDecoder decoder = new MassiveFrameDecoder("connection_2");
    private final List<MarketEvent> events = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private final MassiveFrameDecoder.Sink sink = new MassiveFrameDecoder.Sink() {
        @Override
        public void onEvent(MarketEvent event) {
            events.add(event);
        }

        @Override
        public void onStatus(String status, String message) {
            statuses.add(status + "|" + message);
        }
    };

    private MassiveFrameDecoder.Outcome decode(String json) {
        byte[] b = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        return decoder.decode(b, 2, b.length - 4, sink);
    }

    @Test
    void seededTickersAreDecodedToTheSeededInstancesOnBothPaths() {
        String msft = new String("MSFT".toCharArray());
        String brk = new String("BRK.B".toCharArray());
        decoder.seedSymbols(List.of(msft, brk));
        decode("[{\"ev\":\"T\",\"sym\":\"MSFT\",\"x\":4,\"p\":412.56,\"s\":100,\"t\":1730996410123}]");
        // an escaped character sends the frame the Jackson way
        decode("[{\"ev\":\"T\",\"sym\":\"BRK.B\",\"x\":4,\"p\":412.56,\"s\":100,\"t\":1730996410123,\"zz\":\"\\u0041\"}]");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).symbol()).isSameAs(msft);
        assertThat(events.get(1).symbol()).isSameAs(brk);
        assertThat(decoder.fastFrames()).isEqualTo(1);
    }

    @Test
    void decodesTheDocumentedMixedFrame() {
        assertThat(decode("""
                [{"ev":"T","sym":"MSFT","i":"52983525029461","x":4,"p":412.56,"s":100,"c":[12,37],"t":1730996410123,"q":4432158,"z":3},
                 {"ev":"Q","sym":"MSFT","bx":11,"bp":412.55,"bs":3,"ax":12,"ap":412.57,"as":2,"c":1,"i":[604],"t":1730996410124,"q":88120345,"z":3},
                 {"ev":"AM","sym":"MSFT","v":412233,"av":6150021,"op":409.02,"vw":412.2194,"o":412.05,"c":412.31,"h":412.4,"l":411.9,"a":411.87,"z":118,"s":1730996340000,"e":1730996400000}]
                """)).isEqualTo(MassiveFrameDecoder.Outcome.OK);
        assertThat(events).hasSize(3);
        Trade t = (Trade) events.get(0);
        assertThat(t).extracting(Trade::connectionId, Trade::symbol, Trade::exchange, Trade::tradeId, Trade::price,
                        Trade::size, Trade::timestamp, Trade::sequence, Trade::tape)
                .containsExactly("connection_2", "MSFT", 4, "52983525029461", 412.56, 100L, 1730996410123L,
                        4432158L, 3);
        assertThat(t.conditions()).containsExactly(12, 37);
        assertThat(t.toString()).contains("conditions=[12, 37]");
        Quote q = (Quote) events.get(1);
        assertThat(q).extracting(Quote::bidExchange, Quote::bidPrice, Quote::bidSize, Quote::askExchange,
                        Quote::askPrice, Quote::askSize, Quote::timestamp, Quote::sequence, Quote::tape)
                .containsExactly(11, 412.55, 3L, 12, 412.57, 2L, 1730996410124L, 88120345L, 3);
        Aggregate am = (Aggregate) events.get(2);
        assertThat(am.eventType()).isEqualTo(EventType.AM);
        assertThat(am).extracting(Aggregate::volume, Aggregate::dayVolume, Aggregate::officialOpen, Aggregate::vwap,
                        Aggregate::open, Aggregate::close, Aggregate::high, Aggregate::low, Aggregate::dayVwap,
                        Aggregate::averageTradeSize, Aggregate::startTime, Aggregate::endTime, Aggregate::otc)
                .containsExactly(412233L, 6150021L, 409.02, 412.2194, 412.05, 412.31, 412.4, 411.9, 411.87, 118L,
                        1730996340000L, 1730996400000L, false);
        assertThat(decoder.events()).isEqualTo(3);
        assertThat(decoder.unknownFields()).isZero();
        assertThat(decoder.frames()).isEqualTo(1);
    }

    @Test
    void luldTickerIsUnderCapitalTAndFmvAndSecondAggregatesDecode() {
        decode("""
                [{"ev":"LULD","T":"AAPL","h":190.5,"l":170.25,"i":[21],"z":3,"t":1730996410000,"q":77},
                 {"ev":"FMV","sym":"AAPL","fmv":180.12,"t":1730996410001},
                 {"ev":"A","sym":"AAPL","v":10,"av":100,"op":180,"vw":180.1,"o":180,"c":181,"h":182,"l":179,"a":180.5,"z":5,"s":1000,"e":2000,"otc":true}]
                """);
        LimitUpDown luld = (LimitUpDown) events.get(0);
        assertThat(luld.symbol()).isEqualTo("AAPL");
        assertThat(luld.highLimit()).isEqualTo(190.5);
        assertThat(luld.lowLimit()).isEqualTo(170.25);
        assertThat(luld.indicators()).containsExactly(21);
        assertThat(luld.sequence()).isEqualTo(77);
        FairMarketValue fmv = (FairMarketValue) events.get(1);
        assertThat(fmv.fmv()).isEqualTo(180.12);
        Aggregate a = (Aggregate) events.get(2);
        assertThat(a.eventType()).isEqualTo(EventType.A);
        assertThat(a.close()).isEqualTo(181.0);
        assertThat(a.otc()).isTrue();
    }

    @Test
    void statusMessagesGoToTheSinkAndAreNotEvents() {
        decode("[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: T.MSFT\"},"
                + "{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: Q.MSFT\"}]");
        assertThat(statuses).containsExactly("success|subscribed to: T.MSFT", "success|subscribed to: Q.MSFT");
        assertThat(events).isEmpty();
        assertThat(decoder.events()).isZero();
    }

    @Test
    void unknownEventsAndFieldsAreSkippedAndCounted() {
        assertThat(decode("""
                [{"ev":"XYZ","sym":"A","nested":{"a":[1,2,{"b":3}]}},
                 {"ev":"T","sym":"MSFT","p":1.5,"s":10,"new":{"x":[1]},"other":"y","ds":"10.5","trfi":3,"trft":5,"q":1,"t":1},
                 {"sym":"NOEV"}]
                """)).isEqualTo(MassiveFrameDecoder.Outcome.OK);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).price()).isEqualTo(1.5);
        assertThat(decoder.unknownEvents()).isEqualTo(1);
        assertThat(decoder.lastUnknownEvent()).isEqualTo("XYZ");
        assertThat(decoder.unknownFields()).isEqualTo(3); // nested (of XYZ), new, other
        assertThat(decoder.invalidEvents()).isEqualTo(1);
    }

    @Test
    void aMalformedFrameIsCountedAndEventsBeforeTheFaultAreKept() {
        assertThat(decode("[{\"ev\":\"T\",\"sym\":\"MSFT\",\"p\":1,\"s\":1,\"t\":1,\"q\":1},{\"ev\":\"T\",\"sym\":\"M"))
                .isEqualTo(MassiveFrameDecoder.Outcome.MALFORMED);
        assertThat(decode("not json")).isEqualTo(MassiveFrameDecoder.Outcome.MALFORMED);
        assertThat(decode("42")).isEqualTo(MassiveFrameDecoder.Outcome.MALFORMED);
        assertThat(events).hasSize(1);
        assertThat(decoder.malformedFrames()).isEqualTo(3);
        assertThat(decode("[{\"ev\":\"T\",\"sym\":\"MSFT\",\"p\":2,\"s\":1,\"t\":1,\"q\":2}]"))
                .isEqualTo(MassiveFrameDecoder.Outcome.OK);
        assertThat(events).hasSize(2);
    }

    @Test
    void aSingleConditionCodeIsOneSharedImmutableList() {
        decode("[{\"ev\":\"T\",\"sym\":\"MSFT\",\"i\":\"1\",\"p\":10,\"s\":5,\"c\":[37],\"t\":1,\"q\":1},"
                + "{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"2\",\"p\":10,\"s\":5,\"c\":[37],\"t\":1,\"q\":1}]");
        Trade a = (Trade) events.get(0);
        Trade b = (Trade) events.get(1);
        assertThat(a.conditions()).containsExactly(37).isSameAs(b.conditions());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.conditions().add(1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void optionalFieldsTakeNeutralValues() {
        decode("[{\"ev\":\"T\",\"sym\":\"MSFT\",\"i\":12345,\"p\":10,\"s\":5,\"t\":1}]");
        Trade t = (Trade) events.get(0);
        assertThat(t.tradeId()).isEqualTo("12345");
        assertThat(t.conditions()).isEmpty();
        assertThat(t.sequence()).isEqualTo(MarketEvent.NO_SEQUENCE);
        assertThat(t.price()).isEqualTo(10.0);
    }

    @Test
    void aLoneObjectIsToleratedAndAnEmptyArrayIsFine() {
        assertThat(decode("{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"Connected Successfully\"}"))
                .isEqualTo(MassiveFrameDecoder.Outcome.OK);
        assertThat(decode("[]")).isEqualTo(MassiveFrameDecoder.Outcome.OK);
        assertThat(statuses).containsExactly("connected|Connected Successfully");
    }

    @Test
    void aNumberTooLargeForItsFieldDoesNotLoseTheFrame() {
        assertThat(decode("[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1,\"s\":99999999999999999999999,\"t\":1,\"q\":1},"
                + "{\"ev\":\"T\",\"sym\":\"B\",\"p\":1,\"s\":1,\"t\":1,\"q\":1.0}]"))
                .isEqualTo(MassiveFrameDecoder.Outcome.OK);
        // a size that does not fit makes its event invalid; the rest of the frame is decoded
        assertThat(events).hasSize(1);
        assertThat(decoder.invalidEvents()).isEqualTo(1);
        assertThat(decoder.lastInvalidReason()).isEqualTo("T: s is out of range");
        assertThat(events.get(0).symbol()).isEqualTo("B");
        assertThat(events.get(0).sequence()).isEqualTo(1);
    }

    @Test
    void symbolsAreSharedInstancesOnceSeen() {
        decode("[{\"ev\":\"T\",\"sym\":\"NVDA\",\"p\":1,\"s\":1,\"t\":1},{\"ev\":\"T\",\"sym\":\"NVDA\",\"p\":1,\"s\":1,\"t\":1}]");
        assertThat(events.get(0).symbol()).isSameAs(events.get(1).symbol());
    }

    // ---- timestamps: every event's is epoch milliseconds in core, whatever the wire unit -------

    private static final long MS = 1_730_996_410_123L; // 2024-11-07T16:20:10.123Z

    private MarketEvent only(String json) {
        events.clear();
        assertThat(decode("[" + json + "]")).isEqualTo(MassiveFrameDecoder.Outcome.OK);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    @Test
    void tradeTimeIsMillisecondsOnTheWire() {
        assertThat(only("{\"ev\":\"T\",\"sym\":\"A\",\"p\":1,\"s\":1,\"t\":" + MS + "}").timestamp())
                .isEqualTo(MS);
    }

    @Test
    void quoteTimeIsMillisecondsOnTheWire() {
        assertThat(only("{\"ev\":\"Q\",\"sym\":\"A\",\"bp\":1,\"ap\":2,\"t\":" + MS + "}").timestamp())
                .isEqualTo(MS);
    }

    @Test
    void secondAggregateWindowIsMillisecondsOnTheWire() {
        MarketEvent a = only("{\"ev\":\"A\",\"sym\":\"A\",\"v\":1,\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"s\":"
                + (MS - 123) + ",\"e\":" + (MS + 877) + "}");
        assertThat(a.timestamp()).isEqualTo(MS - 123);
        assertThat(((Aggregate) a).endTime()).isEqualTo(MS + 877);
    }

    @Test
    void minuteAggregateWindowIsMillisecondsOnTheWire() {
        MarketEvent am = only("{\"ev\":\"AM\",\"sym\":\"A\",\"v\":1,\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"s\":"
                + 1_730_996_400_000L + ",\"e\":" + 1_730_996_460_000L + "}");
        assertThat(am.timestamp()).isEqualTo(1_730_996_400_000L);
        assertThat(((Aggregate) am).endTime()).isEqualTo(1_730_996_460_000L);
    }

    @Test
    void luldTimeIsMillisecondsOnTheWire() {
        assertThat(only("{\"ev\":\"LULD\",\"T\":\"A\",\"h\":2,\"l\":1,\"t\":" + MS + "}").timestamp())
                .isEqualTo(MS);
    }

    @Test
    void fairMarketValueTimeIsNanosecondsOnTheWireAndMillisecondsInCore() {
        assertThat(only("{\"ev\":\"FMV\",\"sym\":\"A\",\"fmv\":1.5,\"t\":" + MS + "456789}").timestamp())
                .isEqualTo(MS);
    }

    // ---- invalid values: counted, never forwarded, the rest of the frame decoded ---------------

    @Test
    void nonNumericNonFiniteAndNegativePricesAndSizesAreInvalidAndTheRestOfTheFrameIsDecoded() {
        String ok = "{\"ev\":\"T\",\"sym\":\"OK\",\"p\":1.25,\"s\":10,\"t\":1}";
        String[] bad = {
                "{\"ev\":\"T\",\"sym\":\"B1\",\"p\":\"NaN\",\"s\":10,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B2\",\"p\":null,\"s\":10,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B3\",\"p\":{\"x\":[1,{\"y\":2}]},\"s\":10,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B4\",\"p\":-1.5,\"s\":10,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B5\",\"p\":1e400,\"s\":10,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B6\",\"p\":1,\"s\":-10,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B7\",\"p\":1,\"s\":\"10\",\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B8\",\"p\":1,\"s\":[10],\"t\":1}",
                "{\"ev\":\"Q\",\"sym\":\"B9\",\"bp\":\"NaN\",\"ap\":2,\"t\":1}",
                "{\"ev\":\"Q\",\"sym\":\"B10\",\"bp\":1,\"ap\":2,\"bs\":-3,\"t\":1}",
                "{\"ev\":\"A\",\"sym\":\"B11\",\"v\":1,\"o\":1,\"c\":-1,\"h\":1,\"l\":1,\"s\":1,\"e\":2}",
                "{\"ev\":\"AM\",\"sym\":\"B12\",\"v\":1,\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"vw\":\"x\",\"s\":1,\"e\":2}",
                "{\"ev\":\"LULD\",\"T\":\"B13\",\"h\":-2,\"l\":1,\"t\":1}",
                "{\"ev\":\"FMV\",\"sym\":\"B14\",\"fmv\":true,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B15\",\"p\":1,\"s\":1,\"t\":-5}",
                "{\"ev\":\"T\",\"sym\":\"B16\",\"p\":1,\"s\":1,\"t\":1,\"q\":-1}",
        };
        StringBuilder frame = new StringBuilder("[").append(ok);
        for (String b : bad) {
            frame.append(',').append(b).append(',').append(ok);
        }
        assertThat(decode(frame.append(']').toString())).isEqualTo(MassiveFrameDecoder.Outcome.OK);
        assertThat(events).hasSize(bad.length + 1).allSatisfy(e -> {
            assertThat(e.symbol()).isEqualTo("OK");
            assertThat(e.price()).isEqualTo(1.25);
        });
        assertThat(decoder.invalidEvents()).isEqualTo(bad.length);
        assertThat(decoder.events()).isEqualTo(bad.length + 1);
        assertThat(decoder.malformedFrames()).isZero();
        assertThat(decoder.lastInvalidReason()).isEqualTo("T: q is negative");
    }

    @Test
    void eventsMissingARequiredFieldAreInvalid() {
        String[] missing = {
                "{\"ev\":\"T\",\"sym\":\"M1\",\"s\":1,\"t\":1}",                 // no price
                "{\"ev\":\"T\",\"sym\":\"M2\",\"p\":1,\"t\":1}",                 // no size
                "{\"ev\":\"T\",\"sym\":\"M3\",\"p\":1,\"s\":1}",                 // no time
                "{\"ev\":\"T\",\"p\":1,\"s\":1,\"t\":1}",                        // no symbol
                "{\"ev\":\"Q\",\"sym\":\"M5\",\"bp\":1,\"t\":1}",                // no ask
                "{\"ev\":\"A\",\"sym\":\"M6\",\"v\":1,\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"s\":1}", // no end
                "{\"ev\":\"AM\",\"sym\":\"M7\",\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"s\":1,\"e\":2}", // no volume
                "{\"ev\":\"LULD\",\"T\":\"M8\",\"h\":1,\"t\":1}",                // no lower band
                "{\"ev\":\"FMV\",\"sym\":\"M9\",\"t\":1}",                        // no value
                "{\"ev\":\"T\",\"sym\":\"M10\",\"p\":1,\"s\":1,\"t\":null}",     // null time
                "{\"sym\":\"M11\",\"p\":1}",                                          // no type
                "17",                                                                  // not an object
        };
        assertThat(decode("[" + String.join(",", missing) + ",{\"ev\":\"T\",\"sym\":\"OK\",\"p\":1,\"s\":1,\"t\":1}]"))
                .isEqualTo(MassiveFrameDecoder.Outcome.OK);
        assertThat(events).extracting(MarketEvent::symbol).containsExactly("OK");
        assertThat(decoder.invalidEvents()).isEqualTo(missing.length);
    }

    @Test
    void overLongAndUnprintableSymbolsAreInvalidAndNeverCopied() {
        String huge = "X".repeat(100_000);
        String[] bad = {
                "{\"ev\":\"T\",\"sym\":\"" + huge + "\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"ABCDEFGHIJK\",\"p\":1,\"s\":1,\"t\":1}",    // 11 characters
                "{\"ev\":\"T\",\"sym\":\"AB\\nC\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"AB\\u0000\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"A B\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"AÉ\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"LULD\",\"T\":\"" + huge + "\",\"h\":2,\"l\":1,\"t\":1}",
        };
        assertThat(decode("[" + String.join(",", bad) + ",{\"ev\":\"T\",\"sym\":\"ABCDEFGHIJ\",\"p\":1,\"s\":1,\"t\":1}]"))
                .isEqualTo(MassiveFrameDecoder.Outcome.OK);
        assertThat(events).extracting(MarketEvent::symbol).containsExactly("ABCDEFGHIJ"); // ten is the limit
        assertThat(decoder.invalidEvents()).isEqualTo(bad.length);
        assertThat(decoder.lastInvalidReason()).isEqualTo("LULD: symbol longer than 10");
    }

    @Test
    void overLongOrUnprintableTradeIdsAreInvalid() {
        String ok64 = "9".repeat(64);
        assertThat(decode("[{\"ev\":\"T\",\"sym\":\"A\",\"i\":\"" + "x".repeat(100_000) + "\",\"p\":1,\"s\":1,\"t\":1},"
                + "{\"ev\":\"T\",\"sym\":\"A\",\"i\":" + "9".repeat(65) + ",\"p\":1,\"s\":1,\"t\":1},"
                + "{\"ev\":\"T\",\"sym\":\"A\",\"i\":\"12\\n34\",\"p\":1,\"s\":1,\"t\":1},"
                + "{\"ev\":\"T\",\"sym\":\"A\",\"i\":\"" + ok64 + "\",\"p\":1,\"s\":1,\"t\":1}]"))
                .isEqualTo(MassiveFrameDecoder.Outcome.OK);
        assertThat(events).hasSize(1);
        assertThat(((Trade) events.get(0)).tradeId()).isEqualTo(ok64);
        assertThat(decoder.invalidEvents()).isEqualTo(3);
    }

    @Test
    void nullOptionalFieldsAreAbsentAndUnknownEventsWithBadValuesStayUnknown() {
        assertThat(decode("[{\"ev\":\"T\",\"sym\":\"A\",\"p\":1,\"s\":1,\"t\":1,\"q\":null,\"x\":null},"
                + "{\"ev\":\"XX\",\"sym\":\"" + "Y".repeat(50) + "\",\"p\":\"NaN\"}]"))
                .isEqualTo(MassiveFrameDecoder.Outcome.OK);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).sequence()).isEqualTo(MarketEvent.NO_SEQUENCE);
        assertThat(decoder.invalidEvents()).isZero();
        assertThat(decoder.unknownEvents()).isEqualTo(1);
    }

    @Test
    void anExceptionFromTheSinkIsABugNotAMalformedFrame() {
        byte[] frame = "[{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"hi\"}]"
                .getBytes(StandardCharsets.UTF_8);
        MassiveFrameDecoder.Sink failing = new MassiveFrameDecoder.Sink() {
            @Override
            public void onEvent(MarketEvent event) {
            }

            @Override
            public void onStatus(String status, String message) {
                throw new IllegalStateException("state machine bug");
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decoder.decode(frame, 0, frame.length, failing))
                .isInstanceOf(IllegalStateException.class).hasMessage("state machine bug");
        assertThat(decoder.malformedFrames()).isZero();
    }
}
