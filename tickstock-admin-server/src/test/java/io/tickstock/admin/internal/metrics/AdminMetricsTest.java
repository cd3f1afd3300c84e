package io.tickstock.admin.internal.metrics;

import io.tickstock.admin.gateway.GatewayStatus;
import io.tickstock.admin.internal.stream.DashboardStream;
import io.tickstock.admin.support.FakeGateway;
import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.StatusListener;
import io.tickstock.core.bus.IngestGate;
import io.tickstock.core.health.HealthStatus;
import io.tickstock.core.testing.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class AdminMetricsTest {
    /** A status view whose slots the test changes and which counts how often it is asked. */
    private static final class CountingStatus implements GatewayStatus {
        final FakeGateway health = new FakeGateway();
        final List<ConnectionInfo> slots = new CopyOnWriteArrayList<>();
        final AtomicInteger healthCalls = new AtomicInteger();
        final AtomicInteger connectionCalls = new AtomicInteger();
        volatile Map<String, Map<String, Object>> components = Map.of();

        @Override
        public List<ConnectionInfo> connections() {
            connectionCalls.incrementAndGet();
            return new ArrayList<>(slots);
        }

        @Override
        public HealthStatus health() {
            healthCalls.incrementAndGet();
            HealthStatus h = health.health();
            return new HealthStatus(h.totalConnections(), h.connectedCount(), h.totalTicksReceived(), h.totalErrors(),
                    h.connections(), h.ticksDelivered(), h.sequence(), h.unsubscribedEventsDropped(), h.symbolState(),
                    h.sinkErrors(), components, h.generatedAtMillis());
        }

        @Override
        public void addStatusListener(StatusListener listener) {
        }
    }

    private static ConnectionInfo slot(String id, String name, ConnectionStatus status, long messages) {
        return new ConnectionInfo(id, 1, name, true, status, Set.of("AAPL", "MSFT"), messages, 0, 0, null, null, null,
                "standard", Optional.empty(), "symbols");
    }

    private final CountingStatus gateway = new CountingStatus();
    private final FakeGateway ticks = new FakeGateway();
    private AdminMetrics metrics;

    private AdminMetrics start() {
        ThroughputTracker rates = new ThroughputTracker(Duration.ofSeconds(5), System::nanoTime);
        DashboardStream stream = new DashboardStream(gateway, ticks, rates, 100, 10, Duration.ofMillis(50),
                Duration.ofSeconds(1), Clock.systemUTC());
        metrics = new AdminMetrics(gateway, stream, rates);
        return metrics;
    }

    @AfterEach
    void close() {
        if (metrics != null) {
            metrics.close();
        }
    }

    @Test
    void oneScrapeTakesOneSnapshotWhateverTheNumberOfSeries() {
        for (int i = 1; i <= 3; i++) {
            gateway.slots.add(slot("connection_" + i, "slot" + i, ConnectionStatus.CONNECTED, 10L * i));
        }
        start();
        gateway.healthCalls.set(0);
        gateway.connectionCalls.set(0);
        String text = metrics.scrape();
        assertThat(gateway.healthCalls).hasValue(1);
        assertThat(gateway.connectionCalls).hasValue(1);
        assertThat(text).contains("tickstock_connection_up{connection=\"connection_2\",name=\"slot2\"} 1.0")
                .contains("tickstock_connection_messages_total{connection=\"connection_3\",name=\"slot3\"} 30.0")
                .contains("tickstock_connection_tickers{connection=\"connection_1\",name=\"slot1\"} 2.0");
    }

    @Test
    void theIngestGatesFiguresAreExportedHoldsAndHeldTimeAsCountersHeldAsAGauge() {
        ManualTime time = new ManualTime();
        IngestGate gate = new IngestGate(Duration.ofSeconds(1), time.scheduler(), time.resources()::nanoTime);
        gate.hold();
        time.advance(Duration.ofMillis(250));
        gate.release();
        gate.hold();
        time.advance(Duration.ofSeconds(1)); // this one runs out
        gate.release();
        gate.hold();
        gateway.components = Map.of(gate.healthName(), gate.health());
        start();
        assertThat(metrics.scrape())
                .contains("tickstock_ingest_gate_held 1.0")
                .contains("tickstock_ingest_gate_holds_total 3.0")
                .contains("tickstock_ingest_gate_expired_total 1.0")
                .contains("tickstock_ingest_gate_held_ms_total 1250.0")
                .contains("tickstock_ingest_gate_max_pause_ms 1000.0");
    }

    @Test
    void connectionsThatAppearLaterGetTheirSeriesAndVanishedOnesLoseThem() {
        gateway.slots.add(slot("node-a/connection_1", "primary", ConnectionStatus.CONNECTED, 5));
        start();
        assertThat(metrics.scrape()).doesNotContain("node-b/connection_1");

        gateway.slots.add(slot("node-b/connection_1", "primary", ConnectionStatus.DISCONNECTED, 7));
        String joined = metrics.scrape();
        assertThat(joined).contains("tickstock_connection_up{connection=\"node-b/connection_1\",name=\"primary\"} 0.0")
                .contains("tickstock_connection_messages_total{connection=\"node-b/connection_1\",name=\"primary\"} 7.0")
                .contains("tickstock_connection_up{connection=\"node-a/connection_1\",name=\"primary\"} 1.0");

        gateway.slots.remove(1);
        String left = metrics.scrape();
        assertThat(left).doesNotContain("node-b/connection_1")
                .contains("tickstock_connection_up{connection=\"node-a/connection_1\",name=\"primary\"} 1.0");
    }

    @Test
    void aManyTimesRenamedSlotKeepsOnlyItsCurrentSeries() {
        start();
        for (int i = 0; i < 50; i++) {
            gateway.slots.clear();
            gateway.slots.add(slot("connection_1", "name" + i, ConnectionStatus.CONNECTED, i));
            metrics.scrape();
        }
        String text = metrics.scrape();
        assertThat(text.lines().filter(l -> l.startsWith("tickstock_connection_up{"))).containsExactly(
                "tickstock_connection_up{connection=\"connection_1\",name=\"name49\"} 1.0");
    }

    @Test
    void aFloodOfNodesGetsSeriesUpToTheCapAndTheRestIsCounted() {
        start();
        int flood = ConnectionMeters.MAX_CONNECTIONS + 25;
        for (int i = 0; i < flood; i++) {
            gateway.slots.add(slot("node-" + i + "/connection_1", "primary", ConnectionStatus.CONNECTED, 1));
        }
        String text = metrics.scrape();
        assertThat(text.lines().filter(l -> l.startsWith("tickstock_connection_up{"))).hasSize(ConnectionMeters.MAX_CONNECTIONS);
        assertThat(text).contains("tickstock_connection_series_refused 25.0");
        gateway.slots.subList(0, 100).clear(); // 100 nodes leave: the waiting ones take their place
        String after = metrics.scrape();
        assertThat(after.lines().filter(l -> l.startsWith("tickstock_connection_up{"))).hasSize(ConnectionMeters.MAX_CONNECTIONS - 75);
        assertThat(after).contains("tickstock_connection_series_refused 0.0");
    }
}
