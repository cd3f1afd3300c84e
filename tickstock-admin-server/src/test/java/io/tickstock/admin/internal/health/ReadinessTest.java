package io.tickstock.admin.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.health.HealthStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    private static ConnectionInfo conn(int i, ConnectionStatus status, Set<String> tickers) {
        return new ConnectionInfo("connection_" + i, i, "c" + i, true, status, tickers, 0, 0, 0, null, null,
                status == ConnectionStatus.CONNECTED ? (Long) 0L : null, "standard", Optional.empty(), "env");
    }

    private static HealthStatus health(int connected, Map<String, Map<String, Object>> components) {
        return new HealthStatus(2, connected, 0, 0, Map.of(), 0, HealthStatus.SequenceFigures.NONE, 0,
                HealthStatus.SymbolStateFigures.NONE, 0, components, 0);
    }

    @Test
    void readyWhenOneConnectionIsConnectedAndNoRedisIsConfigured() {
        Readiness.Verdict v = Readiness.of(health(1, Map.of()), List.of(
                conn(1, ConnectionStatus.CONNECTED, Set.of("AAPL")), conn(2, ConnectionStatus.ERROR, Set.of("MSFT"))));
        assertThat(v.ready()).isTrue();
        assertThat(v.toMap()).isEqualTo(Map.of("status", "UP", "checks", Map.of("feed", "UP")));
    }

    @Test
    void notReadyWhenNothingIsConnectedAndNamesEachConnection() {
        Readiness.Verdict v = Readiness.of(health(0, Map.of()), List.of(
                conn(1, ConnectionStatus.CONNECTING, Set.of("AAPL")), conn(2, ConnectionStatus.ERROR, Set.of("MSFT"))));
        assertThat(v.ready()).isFalse();
        assertThat(v.reason()).isEqualTo("feed: no connection is connected (connection_1 connecting, connection_2 error)");
    }

    @Test
    void idleOnPurposeWhenNoConnectionHasTickersOrEveryOneWaitsForALease() {
        assertThat(Readiness.of(health(0, Map.of()), List.of(conn(1, ConnectionStatus.DISCONNECTED, Set.of())))
                .ready()).isTrue();
        Map<String, Map<String, Object>> leases = Map.of("slot_leases",
                Map.of("connections", Map.of("connection_1", Map.of("waiting", true))));
        assertThat(Readiness.of(health(0, leases), List.of(conn(1, ConnectionStatus.DISCONNECTED, Set.of("AAPL"))))
                .ready()).isTrue();
    }

    @Test
    void redisDownOrStalledMakesItNotReady() {
        List<ConnectionInfo> up = List.of(conn(1, ConnectionStatus.CONNECTED, Set.of("AAPL")));
        Readiness.Verdict down = Readiness.of(health(1, Map.of("redis_publisher", Map.of("redis_connected", false))), up);
        assertThat(down.toMap()).isEqualTo(Map.of("status", "DOWN", "checks", Map.of("feed", "UP", "redis", "DOWN"),
                "reason", "redis: not connected"));
        Readiness.Verdict stalled = Readiness.of(health(1, Map.of("redis_publisher",
                Map.of("redis_connected", true, "stalled", true, "stalled_seconds", 12L))), up);
        assertThat(stalled.reason()).isEqualTo("redis: no reply for 12 s");
        assertThat(Readiness.of(health(1, Map.of("redis_publisher",
                Map.of("redis_connected", true, "stalled", false))), up).ready()).isTrue();
    }

    @Test
    void anAdminServerShowingNodesFromRedisIsJudgedByItsOwnRedisConnectionNotTheNodesFeeds() {
        List<ConnectionInfo> remoteDown = List.of(conn(1, ConnectionStatus.ERROR, Set.of("AAPL")));
        Readiness.Verdict up = Readiness.of(health(0, Map.of("admin_nodes_view",
                Map.of("source", "redis", "ticks", Map.of("redis_connected", true)))), remoteDown);
        assertThat(up.toMap()).isEqualTo(Map.of("status", "UP", "checks", Map.of("feed", "UP", "redis", "UP")));
        Readiness.Verdict down = Readiness.of(health(0, Map.of("admin_nodes_view",
                Map.of("source", "redis", "ticks", Map.of("redis_connected", false)))), remoteDown);
        assertThat(down.reason()).isEqualTo("redis: not connected");
    }
}
