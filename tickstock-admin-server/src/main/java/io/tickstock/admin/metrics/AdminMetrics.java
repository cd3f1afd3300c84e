package io.tickstock.admin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickstock.admin.gateway.GatewayView;
import io.tickstock.admin.stream.DashboardStream;
import io.tickstock.core.connection.ConnectionInfo;

import java.util.function.ToDoubleFunction;

/**
 * The Micrometer registry behind {@code /metrics} (Prometheus text format): per-connection gauges
 * read from the gateway at scrape time, every figure of the health snapshot (drops, duplicates, invalid
 * events, rejections … see {@link HealthSnapshotMetrics}), dashboard stream figures, access counters and
 * JVM metrics (memory, GC pauses and heap pressure, threads, class loading).
 */
public final class AdminMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
    private final HealthSnapshotMetrics snapshot;

    public AdminMetrics(GatewayView gateway, DashboardStream stream, ThroughputTracker rates) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        heapPressure.bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        for (ConnectionInfo c : gateway.connections()) {
            String id = c.id();
            connectionGauge(gateway, id, c.name(), "tickstock_connection_up",
                    "1 when the connection is connected", i -> i.connected() ? 1 : 0);
            connectionGauge(gateway, id, c.name(), "tickstock_connection_messages_per_second",
                    "messages per second over the recent window", i -> rates.rate(i.id(), i.messageCount(), i.messagesPerSecond()));
            connectionGauge(gateway, id, c.name(), "tickstock_connection_tickers",
                    "tickers assigned", i -> i.tickerCount());
            FunctionCounter.builder("tickstock_connection_messages", gateway, g -> find(g, id, ConnectionInfo::messageCount))
                    .description("events received on the connection").tag("connection", id).tag("name", c.name())
                    .register(registry);
            FunctionCounter.builder("tickstock_connection_errors", gateway, g -> find(g, id, ConnectionInfo::errorCount))
                    .description("errors on the connection").tag("connection", id).tag("name", c.name())
                    .register(registry);
        }
        // The last-value store and the capture journal are health components: the snapshot export below
        // gives them their series (tickstock_last_value_*, tickstock_capture_*), so none are registered here.
        Gauge.builder("tickstock_admin_dashboards", stream, DashboardStream::sessionCount)
                .description("browsers connected to /admin-ws").register(registry);
        FunctionCounter.builder("tickstock_admin_ticks_offered", stream, s -> s.coalescer().offered())
                .description("ticks offered to the dashboard coalescer").register(registry);
        FunctionCounter.builder("tickstock_admin_ticks_rejected", stream, s -> s.coalescer().rejected())
                .description("ticks dropped because the dashboard symbol limit was reached").register(registry);
        FunctionCounter.builder("tickstock_admin_deferred_rounds", stream,
                        s -> ((Number) s.health().get("deferred_rounds")).doubleValue())
                .description("flush rounds skipped for browsers still busy with the previous frame").register(registry);
        snapshot = new HealthSnapshotMetrics(registry, () -> gateway.health().toMap());
        snapshot.refresh();
    }

    private void connectionGauge(GatewayView gateway, String id, String name, String metric, String help,
                                 ToDoubleFunction<ConnectionInfo> f) {
        Gauge.builder(metric, gateway, g -> g.connections().stream().filter(i -> i.id().equals(id)).findFirst()
                        .map(f::applyAsDouble).orElse(Double.NaN))
                .description(help).tag("connection", id).tag("name", name).register(registry);
    }

    private static double find(GatewayView g, String id, ToDoubleFunction<ConnectionInfo> f) {
        for (ConnectionInfo c : g.connections()) {
            if (c.id().equals(id)) {
                return f.applyAsDouble(c);
            }
        }
        return 0;
    }

    /** Counts one request outcome, e.g. ("api", "ok") or ("login", "failed"). */
    public void access(String action, String result) {
        Counter.builder("tickstock_admin_access").description("admin requests by action and result")
                .tag("action", action).tag("result", result).register(registry).increment();
    }

    public String scrape() {
        snapshot.refresh();
        return registry.scrape();
    }

    /** Stops the GC and heap-pressure listeners. */
    @Override
    public void close() {
        gc.close();
        heapPressure.close();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Audit trail figures: lines written, rejections summarised instead of written, write failures. */
    public void bindAudit(io.tickstock.admin.audit.AuditLog audit) {
        FunctionCounter.builder("tickstock_admin_audit_lines", audit, io.tickstock.admin.audit.AuditLog::linesWritten)
                .description("audit lines written (summaries included)").register(registry);
        FunctionCounter.builder("tickstock_admin_audit_summarised", audit, io.tickstock.admin.audit.AuditLog::linesSummarised)
                .description("repeated rejections counted into a per-minute summary line instead of written")
                .register(registry);
        FunctionCounter.builder("tickstock_admin_audit_write_failures", audit, io.tickstock.admin.audit.AuditLog::writeFailures)
                .description("audit lines that could not be written").register(registry);
    }
}
