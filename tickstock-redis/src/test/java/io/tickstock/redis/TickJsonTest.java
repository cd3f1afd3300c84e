package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.core.event.BasicTick;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.Tick;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TickJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String json(Tick t) {
        return new String(TickJson.write(t), StandardCharsets.UTF_8);
    }

    @Test
    void tradeIsWrittenInTheSpecShapeWithExtrasAfterTheContractFields() {
        String s = json(TestTicks.trade("AAPL", 178.23, 50_000, 1_705_853_696_123L, 7));
        assertThat(s).isEqualTo("{\"type\":\"market_tick\",\"symbol\":\"AAPL\",\"price\":178.23,\"volume\":50000,"
                + "\"timestamp\":1705853696.123,\"source\":\"massive\",\"event_type\":\"T\","
                + "\"connection_id\":\"connection_1\",\"sequence\":7,\"exchange\":4}");
    }

    @Test
    void contractFieldsHaveTheirJsonTypes() throws Exception {
        JsonNode n = MAPPER.readTree(TickJson.write(TestTicks.trade("MSFT", 401.5, 100, 1_705_853_696_000L, 1)));
        assertThat(n.get("type").isTextual()).isTrue();
        assertThat(n.get("symbol").isTextual()).isTrue();
        assertThat(n.get("price").isFloatingPointNumber()).isTrue();
        assertThat(n.get("volume").isIntegralNumber()).isTrue();
        assertThat(n.get("timestamp").isFloatingPointNumber()).isTrue();
        assertThat(n.get("timestamp").decimalValue()).isEqualByComparingTo("1705853696.000");
        assertThat(n.get("source").asText()).isEqualTo("massive");
        assertThat(n.get("event_type").asText()).isEqualTo("T");
        assertThat(n.get("connection_id").asText()).isEqualTo("connection_1");
    }

    @Test
    void millisecondFractionIsZeroPadded() throws Exception {
        JsonNode n = MAPPER.readTree(TickJson.write(TestTicks.trade("A", 1, 1, 1_700_000_000_005L, 1)));
        assertThat(n.get("timestamp").decimalValue()).isEqualByComparingTo("1700000000.005");
        n = MAPPER.readTree(TickJson.write(TestTicks.trade("A", 1, 1, 1_700_000_000_050L, 1)));
        assertThat(n.get("timestamp").decimalValue()).isEqualByComparingTo("1700000000.050");
    }

    @Test
    void quoteCarriesMidPriceAndBothSides() throws Exception {
        JsonNode n = MAPPER.readTree(TickJson.write(TestTicks.quote("NVDA", 100.0, 100.5, 1_700_000_000_000L, 9)));
        assertThat(n.get("price").asDouble()).isEqualTo(100.25);
        assertThat(n.get("volume").asLong()).isZero();
        assertThat(n.get("event_type").asText()).isEqualTo("Q");
        assertThat(n.get("bid").asDouble()).isEqualTo(100.0);
        assertThat(n.get("ask").asDouble()).isEqualTo(100.5);
        assertThat(n.get("bid_size").asLong()).isEqualTo(300);
        assertThat(n.get("ask_size").asLong()).isEqualTo(200);
        assertThat(n.get("sequence").asLong()).isEqualTo(9);
    }

    @Test
    void aggregateCarriesOhlcAndItsWindow() throws Exception {
        JsonNode n = MAPPER.readTree(TickJson.write(TestTicks.aggregate("TSLA", 1_700_000_001_000L)));
        assertThat(n.get("event_type").asText()).isEqualTo("A");
        assertThat(n.get("price").asDouble()).isEqualTo(172.25);
        assertThat(n.get("volume").asLong()).isEqualTo(1200);
        assertThat(n.get("open").asDouble()).isEqualTo(171.0);
        assertThat(n.get("high").asDouble()).isEqualTo(172.5);
        assertThat(n.get("low").asDouble()).isEqualTo(170.75);
        assertThat(n.get("close").asDouble()).isEqualTo(172.25);
        assertThat(n.get("vwap").asDouble()).isEqualTo(171.5);
        assertThat(n.get("timestamp").decimalValue()).isEqualByComparingTo("1700000001.000");
        assertThat(n.get("end_timestamp").decimalValue()).isEqualByComparingTo("1700000002.000");
    }

    @Test
    void readingBackGivesTheSameNormalizedTick() {
        List<Tick> ticks = List.of(TestTicks.trade("BRK.B", 412.01, 3, 1_705_853_696_123L, 5),
                TestTicks.quote("AMZN", 0, 181.2, 1_705_853_696_999L, 6),
                TestTicks.aggregate("GOOGL", 1_705_853_697_000L));
        for (Tick t : ticks) {
            PublishedTick back = TickJson.read(TickJson.write(t));
            assertThat(BasicTick.of(back)).isEqualTo(BasicTick.of(t));
            assertThat(back.sequence()).isEqualTo(t instanceof io.tickstock.core.event.Aggregate ? -1
                    : ((io.tickstock.core.event.MarketEvent) t).sequence());
        }
    }

    @Test
    void aDemoEncoderLabelsEveryMessageDemoAndReadsBackAsDemo() {
        byte[] b = TickJson.encoder(TickJson.DEMO_SOURCE).encode(TestTicks.trade("AAPL", 178.23, 50_000, 1_705_853_696_123L, 7));
        assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"market_tick\",\"symbol\":\"AAPL\","
                + "\"price\":178.23,\"volume\":50000,\"timestamp\":1705853696.123,\"source\":\"demo\",\"event_type\":\"T\","
                + "\"connection_id\":\"connection_1\",\"sequence\":7,\"exchange\":4}");
        assertThat(TickJson.read(b).source()).isEqualTo("demo");
    }

    @Test
    void oneEncoderWritesManyTicksIndependently() {
        TickJson.Encoder enc = TickJson.encoder();
        byte[] a = enc.encode(TestTicks.trade("AAPL", 1.5, 1, 1_000L, 1));
        byte[] b = enc.encode(TestTicks.trade("MSFT", 2.5, 2, 2_000L, 2));
        assertThat(TickJson.read(a).symbol()).isEqualTo("AAPL");
        assertThat(TickJson.read(b).symbol()).isEqualTo("MSFT");
        assertThat(new String(b, StandardCharsets.UTF_8)).startsWith("{\"type\"");
    }

    @Test
    void readerIgnoresUnknownFieldsAndDefaultsVolume() {
        Tick t = TickJson.read(("{\"type\":\"market_tick\",\"symbol\":\"X\",\"price\":1,\"timestamp\":2.5,"
                + "\"event_type\":\"FMV\",\"extra\":{\"a\":[1,2]},\"connection_id\":null}").getBytes(StandardCharsets.UTF_8));
        assertThat(t).isEqualTo(new PublishedTick("X", 1.0, 0, 2_500, EventType.FMV, null, "massive", -1));
    }

    @Test
    void timestampsInAnyNumericFormReadToMilliseconds() {
        String base = "{\"symbol\":\"A\",\"price\":1,\"event_type\":\"T\",\"timestamp\":";
        java.util.Map<String, Long> cases = java.util.Map.of("1705853696.123", 1_705_853_696_123L,
                "1705853696.1", 1_705_853_696_100L, "1705853696", 1_705_853_696_000L,
                "1705853696.12", 1_705_853_696_120L, "1705853696.1236", 1_705_853_696_124L,
                "1.7058536961E9", 1_705_853_696_100L);
        cases.forEach((text, ms) -> assertThat(TickJson.read((base + text + "}").getBytes(StandardCharsets.UTF_8))
                .timestamp()).as(text).isEqualTo(ms));
    }

    @Test
    void badMessagesAreRejectedWithAReason() {
        assertThatThrownBy(() -> TickJson.read("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> TickJson.read("{\"symbol\":\"A\"".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> TickJson.read("{\"symbol\":\"A\",\"price\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks");
        assertThatThrownBy(() -> TickJson.read(("{\"symbol\":\"A\",\"price\":\"1\",\"timestamp\":1,"
                + "\"event_type\":\"T\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'price' must be a number");
        assertThatThrownBy(() -> TickJson.read(("{\"symbol\":\"A\",\"price\":1,\"timestamp\":1,"
                + "\"event_type\":\"ZZ\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown event_type");
        assertThatThrownBy(() -> TickJson.read(("{\"type\":\"other\",\"symbol\":\"A\",\"price\":1,\"timestamp\":1,"
                + "\"event_type\":\"T\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a market_tick");
    }
}
