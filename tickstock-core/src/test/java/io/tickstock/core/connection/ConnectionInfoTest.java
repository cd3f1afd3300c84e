package io.tickstock.core.connection;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionInfoTest {
    private static ConnectionInfo with(Set<String> tickers) {
        return new ConnectionInfo("connection_1", 1, "primary", true, ConnectionStatus.CONNECTED, tickers, 0, 0, 0,
                null, null, null, "standard", Optional.empty(), "symbols");
    }

    @Test
    void tickersAreSortedWhateverOrderTheyCameIn() {
        Set<String> given = new LinkedHashSet<>(List.of("MSFT", "AAPL", "NVDA", "BRK.B", "A"));
        ConnectionInfo info = with(given);
        assertThat(List.copyOf(info.tickers())).containsExactly("A", "AAPL", "BRK.B", "MSFT", "NVDA");
        assertThat(info.tickerCount()).isEqualTo(5);
    }

    @Test
    void tickersAreACopyThatCannotChange() {
        Set<String> given = new LinkedHashSet<>(List.of("MSFT", "AAPL"));
        ConnectionInfo info = with(given);
        given.add("ZZZ");
        assertThat(List.copyOf(info.tickers())).containsExactly("AAPL", "MSFT");
        assertThatThrownBy(() -> info.tickers().add("X")).isInstanceOf(UnsupportedOperationException.class);
    }
}
