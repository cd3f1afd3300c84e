package io.tickstock.admin.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.redis.internal.node.NodeSnapshot;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class NodeSnapshotRoundTripTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ConnectionInfo roundTrip(ConnectionInfo c) {
        return RedisNodesGatewayView.connection("node-a", MAPPER.valueToTree(NodeSnapshot.connection(c)));
    }

    @Test
    void aWholeMarketSlotOfAnotherNodeKeepsItsStarAndTheTickersSeen() {
        ConnectionInfo star = new ConnectionInfo("connection_1", 1, "primary", true, ConnectionStatus.CONNECTED,
                Set.of("*"), 500, 0, 0, null, null, null, "standard", Optional.empty(), "symbols:*", 11_873);

        ConnectionInfo back = roundTrip(star);

        assertThat(back.id()).isEqualTo("node-a/connection_1");
        assertThat(back.tickers()).containsExactly("*");
        assertThat(back.wholeMarket()).isTrue();
        assertThat(back.tickerCount()).isEqualTo(11_873);
    }

    @Test
    void aNamedSlotCountsItsTickers() {
        ConnectionInfo named = new ConnectionInfo("connection_2", 2, "secondary", true, ConnectionStatus.CONNECTED,
                Set.of("AAPL", "MSFT"), 5, 0, 0, null, null, null, "standard", Optional.empty(), "symbols:AAPL,MSFT");

        assertThat(roundTrip(named).tickerCount()).isEqualTo(2);
        assertThat(roundTrip(named).tickers()).containsExactlyInAnyOrder("AAPL", "MSFT");
    }
}
