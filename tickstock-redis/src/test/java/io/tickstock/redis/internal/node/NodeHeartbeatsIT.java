package io.tickstock.redis.internal.node;

import io.tickstock.redis.node.NodeId;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The heartbeat set and the typed snapshot reader against a real redis-server. */
class NodeHeartbeatsIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-12-01T15:00:00Z");

    private RedisClient client;
    private StatefulRedisConnection<String, String> redis;

    @BeforeEach
    void open() {
        client = RedisClient.create(REDIS.uri());
        redis = client.connect();
        redis.sync().flushall();
    }

    @AfterEach
    void close() {
        redis.close();
        client.shutdown();
    }

    @Test
    void liveNodesAndTheirSnapshotsAreReadInOneScriptAndExpiredOnesArePruned() throws Exception {
        RedisCommands<String, String> r = redis.sync();
        NodeHeartbeats.write(r, new NodeId("node-b"), doc("node-b"), 60_000, AT.toEpochMilli());
        NodeHeartbeats.write(r, new NodeId("node-a"), doc("node-a"), 60_000, AT.toEpochMilli() + 5);
        assertThat(r.zscore(NodeKeys.HEARTBEATS, "node-a")).isEqualTo((double) AT.toEpochMilli() + 5);
        assertThat(r.pttl("tickstock:node:node-a:health")).isBetween(1L, 60_000L);

        Map<String, String> live = NodeHeartbeats.readLive(r);
        assertThat(live.keySet()).containsExactly("node-b", "node-a"); // by heartbeat score
        NodeSnapshot.Read a = NodeSnapshot.parse(live.get("node-a"));
        assertThat(a.nodeId()).isEqualTo("node-a");
        assertThat(a.generatedAtMillis()).isEqualTo(AT.toEpochMilli());
        assertThat(a.interval()).isEqualTo(Duration.ofMillis(1000));
        assertThat(a.health()).containsEntry("total_connections", 1);
        assertThat(a.qualifiedConnections("node-a")).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("node-a/connection_1");
            assertThat(c.status()).isEqualTo(ConnectionStatus.CONNECTED);
            assertThat(c.tickers()).containsExactlyInAnyOrder("AAPL", "MSFT");
            assertThat(c.lastMessageTimeMillis()).isEqualTo(AT.toEpochMilli());
        });
        assertThat(a.stale(AT.plusSeconds(2).toEpochMilli())).isFalse();
        assertThat(a.stale(AT.plusMillis(2001).toEpochMilli())).isTrue();
        assertThat(a.ageSeconds(AT.minusSeconds(5).toEpochMilli())).isZero(); // a reader's clock behind the writer's

        // node-b's key expired (a killed node): it is neither listed nor kept in the set
        r.del("tickstock:node:node-b:health");
        assertThat(NodeHeartbeats.readLive(r).keySet()).containsExactly("node-a");
        assertThat(r.zrange(NodeKeys.HEARTBEATS, 0, -1)).containsExactly("node-a");

        NodeHeartbeats.remove(r, new NodeId("node-a"));
        assertThat(NodeHeartbeats.readLive(r)).isEmpty();
        assertThat(r.exists(NodeKeys.HEARTBEATS, "tickstock:node:node-a:health")).isZero();
    }

    @Test
    void aMalformedSnapshotIsRejectedWithATypedException() {
        assertThatThrownBy(() -> NodeSnapshot.parse("{not json")).isInstanceOf(NodeSnapshot.MalformedSnapshotException.class)
                .hasMessage("not JSON");
        assertThatThrownBy(() -> NodeSnapshot.parse("[1,2]")).isInstanceOf(NodeSnapshot.MalformedSnapshotException.class)
                .hasMessageContaining("not a node snapshot");
        assertThatThrownBy(() -> NodeSnapshot.parse("{\"node_id\":\"x\",\"connections\":5}"))
                .isInstanceOf(NodeSnapshot.MalformedSnapshotException.class);
    }

    private static String doc(String node) throws Exception {
        ConnectionInfo c = new ConnectionInfo("connection_1", 1, "primary", true, ConnectionStatus.CONNECTED,
                Set.of("MSFT", "AAPL"), 7, 0.5, 0, AT.toEpochMilli(), null, AT.toEpochMilli(), "standard", Optional.empty(), "symbols:AAPL,MSFT");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node_id", node);
        m.put("generated_at", AT.toEpochMilli() / 1000.0);
        m.put("interval_ms", 1000);
        m.put("connections", List.of(NodeSnapshot.connection(c)));
        m.put("health", Map.of("total_connections", 1));
        return MAPPER.writeValueAsString(m);
    }
}
