package io.tickstock.admin.internal.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.admin.gateway.RelayedTick;
import io.tickstock.core.event.BasicTick;
import io.tickstock.core.event.EventType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTickRelayedFromAnotherNodeCarriesItsReceiveTimeNotTheExchangeTime() throws Exception {
        RelayedTick relayed = new RelayedTick("AAPL", 178.5, 100, 1_000L, EventType.T, "node-a/connection_1",
                "massive", 1_705_853_696_123L);
        BasicTick plain = new BasicTick("MSFT", 400.0, 5, 2_000L, EventType.T, "connection_2", "massive");

        JsonNode data = JSON.readTree(StreamMessages.ticks(List.of(relayed, plain), 0, 2)).get("data");

        assertThat(data.get(0).get("timestamp").asLong()).isEqualTo(1_000L);
        assertThat(data.get(0).get("received_at").asLong()).isEqualTo(1_705_853_696_123L);
        assertThat(data.get(1).get("received_at").asLong()).as("unknown").isZero();
    }
}
