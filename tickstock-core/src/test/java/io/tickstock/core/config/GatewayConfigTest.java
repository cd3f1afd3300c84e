package io.tickstock.core.config;

import io.tickstock.core.routing.RoutingStrategy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayConfigTest {

    private static GatewayConfig read(Map<String, String> values) {
        return GatewayConfig.from(Settings.of(values));
    }

    @Test
    void defaultsAreSingleModeWithThreeSlots() {
        GatewayConfig c = read(Map.of());
        assertThat(c.multiConnection()).isFalse();
        assertThat(c.connectionsMax()).isEqualTo(3);
        assertThat(c.slots()).extracting(ConnectionConfig::enabled).containsExactly(true, false, false);
        assertThat(c.slots()).extracting(ConnectionConfig::id).containsExactly("connection_1", "connection_2", "connection_3");
        assertThat(c.slots().get(0).name()).isEqualTo("connection_1");
        assertThat(c.slots().get(0).priority()).isEqualTo("standard");
        assertThat(c.routingStrategy()).isEqualTo(RoutingStrategy.MANUAL);
        assertThat(c.failoverEnabled()).isTrue();
        assertThat(c.autoRebalance()).isFalse();
        assertThat(c.healthCheckInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void multiModeReadsEverySlot() {
        GatewayConfig c = read(Map.of("USE_MULTI_CONNECTION", "true", "WEBSOCKET_CONNECTIONS_MAX", "2",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_NAME", "secondary",
                "WEBSOCKET_CONNECTION_2_UNIVERSE_KEY", "tech_leaders:top_10", "WEBSOCKET_CONNECTION_2_PRIORITY", "High",
                "WEBSOCKET_ROUTING_STRATEGY", "Round_Robin", "WEBSOCKET_HEALTH_CHECK_INTERVAL", "500ms",
                "WEBSOCKET_REDUNDANT_SYMBOLS", "AAPL, MSFT"));
        assertThat(c.slots()).hasSize(2);
        assertThat(c.enabledSlots()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo("connection_2");
            assertThat(s.name()).isEqualTo("secondary");
            assertThat(s.universeKey()).isEqualTo(Optional.of("tech_leaders:top_10"));
            assertThat(s.priority()).isEqualTo("high");
        });
        assertThat(c.routingStrategy()).isEqualTo(RoutingStrategy.ROUND_ROBIN);
        assertThat(c.healthCheckInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.redundantSymbols()).containsExactly("AAPL", "MSFT");
    }

    @Test
    void badConnectionsMaxNamesTheKey() {
        assertThatThrownBy(() -> read(Map.of("WEBSOCKET_CONNECTIONS_MAX", "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid configuration WEBSOCKET_CONNECTIONS_MAX='abc': an integer from 1 to 16")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("WEBSOCKET_CONNECTIONS_MAX");
        assertThatThrownBy(() -> read(Map.of("WEBSOCKET_CONNECTIONS_MAX", "0")))
                .hasMessageContaining("WEBSOCKET_CONNECTIONS_MAX='0'");
    }

    @Test
    void unknownRoutingStrategyNamesTheKeyAndTheChoices() {
        assertThatThrownBy(() -> read(Map.of("WEBSOCKET_ROUTING_STRATEGY", "fastest")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid configuration WEBSOCKET_ROUTING_STRATEGY='fastest': "
                        + "one of manual, round_robin, hash, load_balanced");
    }

    @Test
    void otherBadValuesNameTheirKeys() {
        for (Map.Entry<String, String> bad : List.of(
                Map.entry("USE_MULTI_CONNECTION", "sometimes"),
                Map.entry("WEBSOCKET_HEALTH_CHECK_INTERVAL", "0s"),
                Map.entry("WEBSOCKET_FAILOVER_ENABLED", "2"),
                Map.entry("WEBSOCKET_CONNECTION_1_PRIORITY", "very high"))) {
            assertThatThrownBy(() -> read(Map.of(bad.getKey(), bad.getValue())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("Invalid configuration " + bad.getKey() + "=");
        }
    }

    @Test
    void aSlotMayCarryTheWholeMarket() {
        GatewayConfig c = read(Map.of("USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", " * ",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "AAPL"));
        assertThat(c.slots()).extracting(ConnectionConfig::wholeMarket).containsExactly(true, false, false);
        assertThat(c.symbolStateLimit()).isEqualTo(50_000);
    }

    @Test
    void theWholeMarketStandsAlone() {
        assertThatThrownBy(() -> read(Map.of("WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,*")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid configuration WEBSOCKET_CONNECTION_1_SYMBOLS='AAPL,*': "
                        + "either * (the whole market) alone or a list of tickers, not both");
        assertThatThrownBy(() -> read(Map.of("WEBSOCKET_CONNECTION_1_SYMBOLS", "*",
                "WEBSOCKET_CONNECTION_1_UNIVERSE_KEY", "dow30")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("WEBSOCKET_CONNECTION_1_SYMBOLS")
                .hasMessageContaining("cannot be combined with WEBSOCKET_CONNECTION_1_UNIVERSE_KEY");
        assertThatThrownBy(() -> read(Map.of("USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "*",
                "WEBSOCKET_CONNECTION_3_ENABLED", "true", "WEBSOCKET_CONNECTION_3_SYMBOLS", "*")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("WEBSOCKET_CONNECTION_3_SYMBOLS"))
                .hasMessageContaining("only one enabled slot may carry the whole market; connection_1 already does");
    }

    @Test
    void theSymbolStateLimitIsCheckedAndNamed() {
        assertThat(read(Map.of("WEBSOCKET_SYMBOL_STATE_LIMIT", "20000")).symbolStateLimit()).isEqualTo(20_000);
        assertThatThrownBy(() -> read(Map.of("WEBSOCKET_SYMBOL_STATE_LIMIT", "10")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("WEBSOCKET_SYMBOL_STATE_LIMIT");
    }
}
