package io.tickstock.redis.node;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeConfigTest {
    @Test
    void defaults() {
        NodeConfig c = NodeConfig.from(Settings.of(Map.of()), 3);
        assertThat(c.nodeId().value()).matches("[a-z0-9._-]+-" + ProcessHandle.current().pid());
        assertThat(c.healthInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.healthTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.slotLeases()).isTrue();
        assertThat(c.leaseTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.leaseSlots()).isEqualTo(3);
        assertThat(c.sharding()).isFalse();
        assertThat(c.shardOverlap()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertBad(Map.of("TICKSTOCK_NODE_ID", "node a"), "TICKSTOCK_NODE_ID");
        assertBad(Map.of("TICKSTOCK_SHARDING", "maybe"), "TICKSTOCK_SHARDING");
        assertBad(Map.of("TICKSTOCK_NODE_HEALTH_INTERVAL", "soon"), "TICKSTOCK_NODE_HEALTH_INTERVAL");
        assertBad(Map.of("TICKSTOCK_NODE_HEALTH_TTL", "1s"), "TICKSTOCK_NODE_HEALTH_TTL");
        assertBad(Map.of("TICKSTOCK_LEASE_TTL", "100ms"), "TICKSTOCK_LEASE_TTL");
        assertBad(Map.of("TICKSTOCK_SLOT_LEASES", "sometimes"), "TICKSTOCK_SLOT_LEASES");
        assertBad(Map.of("TICKSTOCK_LEASE_SLOTS", "0"), "TICKSTOCK_LEASE_SLOTS");
    }

    @Test
    void explicitValues() {
        NodeConfig c = NodeConfig.from(Settings.of(Map.of("TICKSTOCK_NODE_ID", "gw-east-1", "TICKSTOCK_SHARDING", "on",
                "TICKSTOCK_SLOT_LEASES", "off", "TICKSTOCK_LEASE_SLOTS", "5")), 3);
        assertThat(c.nodeId()).isEqualTo(new NodeId("gw-east-1"));
        assertThat(c.sharding()).isTrue();
        assertThat(c.slotLeases()).isFalse();
        assertThat(c.leaseSlots()).isEqualTo(5);
    }

    private static void assertBad(Map<String, String> values, String key) {
        assertThatThrownBy(() -> NodeConfig.from(Settings.of(values), 3))
                .isInstanceOf(ConfigException.class).hasMessageContaining(key);
    }

    @Test
    void shardingIsABooleanLikeEveryOther() {
        assertThat(NodeConfig.from(Settings.of(Map.of("TICKSTOCK_NODE_ID", "a", "TICKSTOCK_SHARDING", "true")), 3)
                .sharding()).isTrue();
        assertThat(NodeConfig.from(Settings.of(Map.of("TICKSTOCK_NODE_ID", "a", "TICKSTOCK_SHARDING", "false")), 3)
                .sharding()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeConfig.from(Settings.of(Map.of(
                        "TICKSTOCK_NODE_ID", "a", "TICKSTOCK_SHARDING", "sometimes")), 3))
                .hasMessage("Invalid configuration TICKSTOCK_SHARDING='sometimes': true or false");
    }
}
