package io.tickstock.core.connection;

import org.junit.jupiter.api.Test;

import static io.tickstock.core.connection.ConnectionStatus.CONNECTED;
import static io.tickstock.core.connection.ConnectionStatus.CONNECTING;
import static io.tickstock.core.connection.ConnectionStatus.DISCONNECTED;
import static io.tickstock.core.connection.ConnectionStatus.ERROR;
import static org.assertj.core.api.Assertions.assertThat;

class ConnectionStatusTest {
    @Test
    void allowedTransitionsAreExactlyTheStateMachine() {
        StringBuilder allowed = new StringBuilder();
        for (ConnectionStatus from : ConnectionStatus.values()) {
            for (ConnectionStatus to : ConnectionStatus.values()) {
                if (from.canTransitionTo(to)) {
                    allowed.append(from.wireName()).append("->").append(to.wireName()).append(' ');
                }
            }
        }
        assertThat(allowed.toString().strip()).isEqualTo(
                "disconnected->connecting "
                        + "connecting->disconnected connecting->connected connecting->error "
                        + "connected->disconnected connected->error "
                        + "error->disconnected error->connecting");
        assertThat(DISCONNECTED.canTransitionTo(CONNECTED)).isFalse();
        assertThat(CONNECTED.canTransitionTo(CONNECTING)).isFalse();
        assertThat(ERROR.canTransitionTo(CONNECTED)).isFalse();
        assertThat(CONNECTING.canTransitionTo(ERROR)).isTrue();
    }
}
