package io.tickstock.admin.gateway;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.StatusChange;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisConnector;
import io.tickstock.redis.internal.node.NodeHeartbeats;
import io.tickstock.redis.node.NodeId;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Redis nodes view: discovery through the heartbeat set, and status messages versus listener failures. */
class RedisNodesGatewayViewIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final Instant AT = Instant.parse("2026-12-01T15:00:00Z");

    @Test
    void aListenersExceptionIsCountedNotReportedAsAMalformedMessageAndNodesComeFromTheHeartbeatSet() {
        RedisClient client = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> redis = client.connect();
             RedisConnector connector = RedisConnector.create(RedisConfig.of(REDIS.uri()));
             RedisNodesGatewayView view = RedisNodesGatewayView.start(connector, Duration.ofMillis(100),
                     Clock.fixed(AT.plusMillis(500), ZoneOffset.UTC))) {
            List<StatusChange> seen = new CopyOnWriteArrayList<>();
            view.addStatusListener(c -> {
                throw new IllegalStateException("a listener bug");
            });
            view.addStatusListener(seen::add);
            NodeHeartbeats.write(redis.sync(), new NodeId("node-a"), "{\"node_id\":\"node-a\",\"generated_at\":"
                    + AT.toEpochMilli() / 1000.0 + ",\"interval_ms\":1000,\"connections\":[{\"connection_id\":"
                    + "\"connection_1\",\"index\":1,\"status\":\"connected\",\"tickers\":[\"AAPL\"]}],\"health\":{}}",
                    60_000, AT.toEpochMilli());
            // a key that only looks like a snapshot is not found: discovery reads the set, not the keyspace
            redis.sync().set("tickstock:node:ghost:health", "{}");
            await().atMost(Duration.ofSeconds(5)).until(() -> view.nodes().size() == 1);
            NodeView node = view.nodes().get(0);
            assertThat(node.nodeId()).isEqualTo("node-a");
            assertThat(node.stale()).isFalse();
            assertThat(node.ageSeconds()).isEqualTo(0.5);
            assertThat(node.connections()).singleElement().satisfies(c -> {
                assertThat(c.id()).isEqualTo("node-a/connection_1");
                assertThat(c.status()).isEqualTo(ConnectionStatus.CONNECTED);
            });

            await().atMost(Duration.ofSeconds(5)).until(() -> redis.sync().pubsubNumsub("tickstock:node:status")
                    .getOrDefault("tickstock:node:status", 0L) > 0);
            redis.sync().publish("tickstock:node:status", "{\"node_id\":\"node-a\",\"connection_id\":\"connection_1\","
                    + "\"from\":\"connecting\",\"to\":\"connected\",\"message\":null,\"at\":" + AT.toEpochMilli() / 1000.0 + "}");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
            assertThat(seen.get(0)).isEqualTo(new StatusChange("node-a/connection_1", ConnectionStatus.CONNECTING,
                    ConnectionStatus.CONNECTED, null, AT.toEpochMilli()));
            assertThat(view.figures()).containsEntry("status_listener_failures", 1L).containsEntry("last_error", null);

            redis.sync().publish("tickstock:node:status", "{\"node_id\":\"node-a\",\"to\":\"exploded\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> "malformed node status message".equals(view.figures().get("last_error")));
            assertThat(seen).hasSize(1);
            assertThat(view.figures()).containsEntry("status_listener_failures", 1L);
        } finally {
            client.shutdown();
        }
    }
}
