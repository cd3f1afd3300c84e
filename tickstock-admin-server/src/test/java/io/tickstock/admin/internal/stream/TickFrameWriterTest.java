package io.tickstock.admin.internal.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.admin.gateway.RelayedTick;
import io.tickstock.core.event.BasicTick;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Tick;
import io.tickstock.core.event.Trade;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TickFrameWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] EDGE_PRICES = {0.0, -0.0, 1e-7, 0.0001, 178.23, 178.23499999999999, 1e7, 1e21, 1e22,
            2e23, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 4.35, 0.1 + 0.2};

    private final TickFrameWriter writer = new TickFrameWriter();

    @Test
    void writesTheBytesJacksonWritesForEveryKindOfTickAndPrice() {
        Random r = new Random(42);
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ticks.add(tick(r, i, price(r, i)));
        }
        for (int limit : new int[] {0, 1, 2, 999, 20_000}) {
            assertThat(text(writer.write(ticks, limit))).as("limit %d", limit)
                    .isEqualTo(text(StreamMessages.ticksUtf8(ticks, limit)));
        }
        assertThat(text(writer.write(List.of(), 10))).isEqualTo(text(StreamMessages.ticksUtf8(List.of(), 10)));
    }

    @Test
    void aFrameLargerThanItsArrayGrowsIt() {
        String longSymbol = "X".repeat(20_000);
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // about 2 MB against an array of 64 KB, more than it keeps afterwards
            ticks.add(new BasicTick(longSymbol + i, i, i, i, EventType.T, "connection_1", "massive"));
        }
        byte[] frame = writer.write(ticks, 100);

        assertThat(text(frame)).isEqualTo(text(StreamMessages.ticksUtf8(ticks, 100)));
        assertThat(frame.length).isGreaterThan(2 * TickFrameWriter.RETAINED - 100_000);
        assertThat(writer.capacity()).as("the big array is let go").isEqualTo(TickFrameWriter.RETAINED);
        assertThat(text(writer.write(ticks.subList(0, 1), 1))).as("the array is reused; the frame is cut to length")
                .isEqualTo(text(StreamMessages.ticksUtf8(ticks.subList(0, 1), 1)));
    }

    @Test
    void aFrameLeftToJacksonAfterTheArrayGrewLetsTheArrayGoToo() {
        String longSymbol = "X".repeat(20_000);
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ticks.add(new BasicTick(longSymbol + i, i, i, i, EventType.T, "connection_1", "massive"));
        }
        ticks.add(plain("A\\B")); // needs escaping: the whole frame goes to Jackson, after about 2 MB were written

        byte[] frame = writer.write(ticks, ticks.size());

        assertThat(text(frame)).isEqualTo(text(StreamMessages.ticksUtf8(ticks, ticks.size())));
        assertThat(writer.capacity()).isEqualTo(TickFrameWriter.RETAINED);
    }

    @Test
    void stringsThatNeedEscapingAndPricesThatAreNotNumbersAreLeftToJackson() throws Exception {
        List<List<Tick>> frames = List.of(
                List.of(plain("AAPL"), plain("A\"B")),
                List.of(plain("A\\B")),
                List.of(plain("A\u0001B")),
                List.of(plain("ÄPFEL")),
                List.of(plain("A\u007FB")),
                List.of(new BasicTick(null, 1, 1, 1, null, null, "massive")),
                List.of(plain("AAPL"), new BasicTick("MSFT", Double.NaN, 1, 1, EventType.Q, "connection_2", "massive")),
                List.of(new BasicTick("MSFT", Double.POSITIVE_INFINITY, 1, 1, EventType.Q, "connection_2", "massive")));
        for (List<Tick> ticks : frames) {
            byte[] frame = writer.write(ticks, ticks.size());

            assertThat(text(frame)).as("%s", ticks).isEqualTo(text(StreamMessages.ticksUtf8(ticks, ticks.size())));
            JsonNode data = JSON.readTree(frame).get("data");
            assertThat(data.size()).isEqualTo(ticks.size());
            JsonNode lastSymbol = data.get(ticks.size() - 1).get("symbol");
            assertThat(lastSymbol.isNull() ? null : lastSymbol.asText()).isEqualTo(ticks.get(ticks.size() - 1).symbol());
        }
    }

    private static String text(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static Tick plain(String symbol) {
        return new BasicTick(symbol, 178.25, 100, 1_705_853_696_123L, EventType.T, "connection_1", "massive");
    }

    private static double price(Random r, int i) {
        return switch (i % 4) {
            case 0 -> EDGE_PRICES[r.nextInt(EDGE_PRICES.length)];
            case 1 -> r.nextInt(100_000_000) / 10_000.0; // four decimals, as on the feed
            case 2 -> {
                double d = Double.longBitsToDouble(r.nextLong()); // any finite double
                yield Double.isFinite(d) ? d : 1.5;
            }
            default -> (r.nextInt(20_000) + r.nextInt(20_000) + 1) / 200.0; // a quote's mid
        };
    }

    private static Tick tick(Random r, int i, double price) {
        String symbol = "TK" + i;
        String connection = "connection_" + (1 + r.nextInt(3));
        long t = 1_705_853_696_000L + r.nextInt(1_000_000);
        return switch (i % 4) {
            case 0 -> new Trade(connection, symbol, 4, "id" + i, price, r.nextInt(1_000_000), List.of(12, 37), t, i, 3,
                    t + 5);
            case 1 -> new Quote(connection, symbol, 4, price, r.nextInt(1000), 7, price + 0.01, r.nextInt(1000), t, i,
                    1, t + 7);
            case 2 -> new RelayedTick(symbol, price, r.nextLong(), -t, EventType.A, "node-a/" + connection, "massive",
                    t);
            default -> new BasicTick(symbol, price, Long.MIN_VALUE + i, Long.MAX_VALUE - i, EventType.values()[i
                    % EventType.values().length], connection, "massive");
        };
    }
}
