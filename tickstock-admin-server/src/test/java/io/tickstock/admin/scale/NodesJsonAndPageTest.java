package io.tickstock.admin.scale;

import io.tickstock.admin.internal.api.StatusJson;
import io.tickstock.admin.internal.dashboard.DashboardPage;
import io.tickstock.admin.gateway.NodeView;
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

/** The per-node shapes of the JSON API and the page (several gateway nodes on Redis). */
class NodesJsonAndPageTest {
    private static final Instant NOW = Instant.parse("2026-11-26T15:00:00Z");
    private final ThroughputTracker rates = new ThroughputTracker(Duration.ofSeconds(10), System::nanoTime);

    private static ConnectionInfo conn(String node, int n, ConnectionStatus status, String... tickers) {
        return new ConnectionInfo(node + "/connection_" + n, n, "conn" + n, true, status, Set.of(tickers), 10, 1.5, 0,
                NOW.minusSeconds(1).toEpochMilli(), null, status == ConnectionStatus.CONNECTED ? (Long) NOW.minusSeconds(60).toEpochMilli() : null,
                "standard", Optional.empty(), "symbols:" + String.join(",", tickers));
    }

    private final List<NodeView> nodes = List.of(
            new NodeView("node-a", false, 0.4, List.of(conn("node-a", 1, ConnectionStatus.CONNECTED, "AAPL"),
                    conn("node-a", 2, ConnectionStatus.CONNECTED, "MSFT"))),
            new NodeView("node-b", true, 3.2, List.of(conn("node-b", 1, ConnectionStatus.CONNECTING, "AAPL"))));

    @Test
    @SuppressWarnings("unchecked")
    void nodesListEveryNodeWithItsConnectionsInTheUsualShape() {
        List<Object> json = StatusJson.nodes(nodes, rates, NOW);
        assertThat(json).hasSize(2);
        Map<String, Object> b = (Map<String, Object>) json.get(1);
        assertThat(b).containsEntry("node_id", "node-b").containsEntry("stale", true).containsEntry("age_seconds", 3.2);
        List<Map<String, Object>> conns = (List<Map<String, Object>>) b.get("connections");
        assertThat(conns).singleElement().satisfies(c -> assertThat(c)
                .containsEntry("connection_id", "node-b/connection_1").containsEntry("id", 1)
                .containsEntry("status", "connecting").containsKeys("config", "metrics", "uptime_seconds"));
        Map<String, Object> brief = (Map<String, Object>) StatusJson.nodesBrief(nodes).get(0);
        assertThat(brief).containsEntry("connection_ids", List.of("node-a/connection_1", "node-a/connection_2"));
    }

    @Test
    void thePageGroupsTheColumnsPerNodeAndMarksStaleNodes() {
        List<ConnectionInfo> all = nodes.stream().flatMap(n -> n.connections().stream()).toList();
        String html = DashboardPage.render("admin", all, nodes, false, rates, false, Duration.ofSeconds(1), NOW);
        assertThat(html).contains("data-node-id=\"node-a\"", "data-node-id=\"node-b\"", "Node node-a",
                "class=\"node-group is-stale\"", "data-connection-id=\"node-b/connection_1\"");
        assertThat(html.indexOf("data-node-id=\"node-b\"")).isGreaterThan(html.indexOf("node-a/connection_2"));
        // another node's connection is reconnected on that node's own dashboard
        assertThat(html).contains("disabled title=\"Reconnect it on its node&#x27;s own dashboard\"");
        // a local gateway's page has no groups
        String local = DashboardPage.render("admin", all, rates, false, Duration.ofSeconds(1), NOW);
        assertThat(local).doesNotContain("node-group").contains("class=\"grid\"");
    }
}
