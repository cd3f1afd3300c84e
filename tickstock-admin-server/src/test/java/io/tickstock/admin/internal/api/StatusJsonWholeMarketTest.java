package io.tickstock.admin.internal.api;

import io.tickstock.admin.internal.metrics.ThroughputTracker;
import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.ConnectionStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StatusJsonWholeMarketTest {

    @Test
    void aWholeMarketSlotShowsTheStarAndTheTickersSeen() {
        ConnectionInfo c = new ConnectionInfo("connection_1", 1, "primary", true, ConnectionStatus.CONNECTED,
                Set.of("*"), 500, 0, 0, null, null, null, "high", Optional.empty(), "symbols:*", 11_873);
        ThroughputTracker rates = new ThroughputTracker(Duration.ofSeconds(5), () -> 0L);

        Map<String, Object> json = StatusJson.connection(c, rates, Instant.EPOCH);

        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) json.get("config");
        assertThat(config).containsEntry("symbols", List.of("*")).containsEntry("ticker_count", 11_873)
                .containsEntry("source", "symbols:*");
        assertThat(config.get("universe_key")).isNull();
        assertThat(StatusJson.metrics(c, rates, Instant.EPOCH)).containsEntry("ticker_count", 11_873);
    }
}
