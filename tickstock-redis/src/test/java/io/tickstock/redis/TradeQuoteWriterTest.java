package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickstock.core.event.BasicTick;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.FairMarketValue;
import io.tickstock.core.event.LimitUpDown;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Tick;
import io.tickstock.core.event.Trade;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TradeQuoteWriterTest {
    private static final String[] SOURCES = {"massive", "demo", "mass\"ive", "sourcé", "tab\tsource"};
    private static final String[] CONNECTIONS = {"connection_1", "connection_2", "connection_3", null, "conn\\4",
            "connection_ü", ""};
    private static final String SYMBOL_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ.-_/ 09";
    private static final String NEEDS_ESCAPE = "\"\\\u0000\n\u001f\u007fÄ€\ud83d\ude00";

    private final TradeQuoteWriter writer = new TradeQuoteWriter();

    /** The direct writer's message, or null when it declines. */
    private byte[] direct(Tick t, String source) {
        int room = TradeQuoteWriter.maxLength(t, source);
        if (room < 0) {
            return null;
        }
        byte[] b = new byte[room + 5];
        Arrays.fill(b, (byte) '#');
        int end = writer.write(t, source, b, 2);
        return end < 0 ? null : Arrays.copyOfRange(b, 2, end);
    }

    private static byte[] jackson(Tick t, String source) {
        return TickJson.encoder(source).encode(t);
    }

    private static boolean plain(String s) {
        return s == null || s.chars().allMatch(c -> JsonBytes.plain((char) c));
    }

    @Test
    void randomTradesAndQuotesAreJacksonsBytesWheneverTakenAndTakenUnlessSomethingNeedsJackson() {
        SplittableRandom r = new SplittableRandom(2024);
        int taken = 0;
        int declined = 0;
        for (int i = 0; i < 300_000; i++) {
            String symbol = symbol(r);
            String source = SOURCES[r.nextInt(10) < 8 ? r.nextInt(2) : r.nextInt(SOURCES.length)];
            String conn = CONNECTIONS[r.nextInt(CONNECTIONS.length)];
            long ts = r.nextInt(20) == 0 ? -r.nextLong(1, 4_000_000_000_000L) : r.nextLong(0, 4_000_000_000_000L);
            Tick t;
            boolean finite;
            if (r.nextBoolean()) {
                double price = price(r);
                finite = Double.isFinite(price);
                t = new Trade(conn, symbol, r.nextInt(), "t", price, someLong(r), List.of(), ts, someLong(r), 3, ts);
            } else {
                Quote q = new Quote(conn, symbol, 1, price(r), someLong(r), 2, price(r), someLong(r), ts,
                        someLong(r), 3, ts);
                finite = Double.isFinite(q.price()) && Double.isFinite(q.bidPrice()) && Double.isFinite(q.askPrice());
                t = q;
            }
            boolean expectTaken = finite && ts >= 0 && plain(symbol) && plain(source) && plain(conn);
            byte[] fast = direct(t, source);
            assertThat(fast != null).as("taken: %s %s %s", t, source, conn).isEqualTo(expectTaken);
            if (fast == null) {
                declined++;
                continue;
            }
            taken++;
            byte[] slow = jackson(t, source);
            if (!Arrays.equals(fast, slow)) {
                assertThat(new String(fast, StandardCharsets.UTF_8)).isEqualTo(new String(slow, StandardCharsets.UTF_8));
            }
            PublishedTick back = TickJson.read(fast);
            assertThat(back).isEqualTo(TickJson.read(slow));
            assertThat(back.price()).isEqualTo(t.price());
            assertThat(back.timestamp()).isEqualTo(t.timestamp());
        }
        assertThat(taken).isGreaterThan(100_000);
        assertThat(declined).isGreaterThan(10_000);
    }

    private static String symbol(SplittableRandom r) {
        int n = r.nextInt(0, 9);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(r.nextInt(30) == 0 ? NEEDS_ESCAPE.charAt(r.nextInt(NEEDS_ESCAPE.length()))
                    : SYMBOL_CHARS.charAt(r.nextInt(SYMBOL_CHARS.length())));
        }
        return s.toString();
    }

    private static final double[] TRICKY = {0.1 + 0.2, 1e-7, 123_456_789.123, 1e7, Math.nextDown(1e7), 1e-3,
            Math.nextDown(1e-3), 0.0, -0.0, -12.5, 1e22, 1e300, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 178.0, 5e6, 0.000123456};

    private static double price(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0 -> TRICKY[r.nextInt(TRICKY.length)];
            case 1 -> Double.longBitsToDouble(r.nextLong());
            case 2 -> r.nextLong(1, 10_000_000_000L) / 1e8; // more fraction digits than the fast path takes
            case 3 -> r.nextInt(1, 10_000_000); // integral
            case 4 -> r.nextLong(1, 100_000_000_000L) / 1e6;
            default -> r.nextInt(1, 100_000_00) / 100.0; // cents
        };
    }

    private static long someLong(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            case 2 -> r.nextLong();
            case 3 -> -1; // no sequence
            default -> r.nextLong(0, 1_000_000);
        };
    }

    @Test
    void theDocumentedTradeIsWrittenDirectly() {
        Trade t = TestTicks.trade("AAPL", 178.23, 50_000, 1_705_853_696_123L, 7);
        assertThat(new String(direct(t, "massive"), StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"market_tick\",\"symbol\":\"AAPL\",\"price\":178.23,\"volume\":50000,"
                        + "\"timestamp\":1705853696.123,\"source\":\"massive\",\"event_type\":\"T\","
                        + "\"connection_id\":\"connection_1\",\"sequence\":7,\"exchange\":4}");
    }

    @Test
    void aQuoteWithOneSideZeroAndANullConnectionIsWrittenDirectly() {
        Quote q = new Quote(null, "NVDA", 11, 0.0, 0, 12, 100.5, 200, 1_700_000_000_005L, 9, 3, 0);
        assertThat(new String(direct(q, "demo"), StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"market_tick\",\"symbol\":\"NVDA\",\"price\":100.5,\"volume\":0,"
                        + "\"timestamp\":1700000000.005,\"source\":\"demo\",\"event_type\":\"Q\","
                        + "\"connection_id\":null,\"bid\":0.0,\"ask\":100.5,\"bid_size\":0,\"ask_size\":200,"
                        + "\"sequence\":9}");
        assertThat(direct(q, "demo")).isEqualTo(jackson(q, "demo"));
    }

    @Test
    void aPriceOutsideTheShortFormIsWrittenWithJacksonsDigits() {
        Trade t = TestTicks.trade("AAPL", 0.1 + 0.2, 1, 0, 1);
        assertThat(new String(direct(t, "massive"), StandardCharsets.UTF_8)).contains("\"price\":0.30000000000000004,");
        assertThat(direct(t, "massive")).isEqualTo(jackson(t, "massive"));
        Quote q = TestTicks.quote("X", 1e-7, 123_456_789.123, 1, 1);
        assertThat(direct(q, "massive")).isEqualTo(jackson(q, "massive"));
    }

    @Test
    void stringsThatNeedEscapingOrAreNotAsciiAreLeftToJackson() {
        for (String bad : List.of("A\"B", "A\\B", "A\u0001", "A\n", "A\u007f", "AÄ", "A€", "A\ud83d\ude00")) {
            assertThat(direct(TestTicks.trade(bad, 1.5, 1, 1, 1), "massive")).as(bad).isNull();
            assertThat(direct(TestTicks.quote(bad, 1.5, 1.75, 1, 1), "massive")).as(bad).isNull();
            assertThat(direct(TestTicks.trade("AAPL", 1.5, 1, 1, 1), bad)).as(bad).isNull();
            Trade conn = new Trade(bad, "AAPL", 4, "t", 1.5, 1, List.of(), 1, 1, 3, 1);
            assertThat(direct(conn, "massive")).as(bad).isNull();
        }
        // a declined string does not stick: the next plain one is written directly
        assertThat(direct(TestTicks.trade("AAPL", 1.5, 1, 1, 1), "massive")).isNotNull();
    }

    @Test
    void nonFinitePricesAndNegativeTimestampsAreLeftToJackson() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThat(direct(TestTicks.trade("A", bad, 1, 1, 1), "massive")).isNull();
            assertThat(direct(TestTicks.quote("A", bad, 1.5, 1, 1), "massive")).isNull();
            assertThat(direct(TestTicks.quote("A", 1.5, bad, 1, 1), "massive")).isNull();
        }
        assertThat(direct(TestTicks.trade("A", 1.5, 1, -1, 1), "massive")).isNull();
        assertThat(direct(TestTicks.quote("A", 1.5, 1.75, -1_000, 1), "massive")).isNull();
        assertThat(direct(TestTicks.trade("A", 1.5, 1, 0, 1), "massive")).isEqualTo(
                jackson(TestTicks.trade("A", 1.5, 1, 0, 1), "massive"));
    }

    @Test
    void everyOtherTickTypeIsLeftToJackson() {
        List<Tick> others = List.of(TestTicks.aggregate("AAPL", 1_705_853_000_000L),
                new LimitUpDown("connection_1", "AAPL", 180.5, 170.25, List.of(), 3, 1_705_853_000_000L, 5, 0),
                new FairMarketValue("connection_1", "AAPL", 178.5, 1_705_853_000_000L, 0),
                new BasicTick("AAPL", 178.23, 5, 1_705_853_000_000L, EventType.T, "connection_1", "massive"));
        for (Tick t : others) {
            assertThat(TradeQuoteWriter.maxLength(t, "massive")).as(t.toString()).isEqualTo(-1);
            assertThat(writer.write(t, "massive", new byte[1024], 0)).as(t.toString()).isEqualTo(-1);
        }
    }

    @Test
    void theCacheNeverHandsOutAnotherStringsBytes() {
        QuotedStrings cache = new QuotedStrings(2);
        for (int i = 0; i < 1_000; i++) {
            String s = "connection_" + i % 7; // new instances, colliding slots
            assertThat(new String(cache.quoted(s), StandardCharsets.US_ASCII)).isEqualTo("\"" + s + "\"");
        }
        assertThat(cache.quoted("a\"b")).isNull();
        assertThat(new String(cache.quoted(null), StandardCharsets.US_ASCII)).isEqualTo("null");
    }
}
