package io.tickstock.admin.internal.metrics;

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
import io.tickstock.admin.gateway.GatewayStatus;
import io.tickstock.admin.internal.stream.DashboardStream;
import io.tickstock.core.health.HealthStatus;


/**
 * The Micrometer registry behind {@code /metrics} (Prometheus text format): per-connection gauges
 * (for the slots and nodes present at each scrape), every figure of the health snapshot (drops, duplicates, invalid
 * events, rejections … see {@link HealthSnapshotMetrics}), dashboard stream figures, access counters and
 * JVM metrics (memory, GC pauses and heap pressure, threads, class loading). Each scrape takes one health
 * snapshot and one connection list from the gateway and every gateway series reads from those.
 */
public final class AdminMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
    private final GatewayStatus gateway;
    private final HealthSnapshotMetrics snapshot;
    private final ConnectionMeters connections;

    public AdminMetrics(GatewayStatus gateway, DashboardStream stream, ThroughputTracker rates) {
        this.gateway = gateway;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        heapPressure.bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        connections = new ConnectionMeters(registry, rates);
        // The last-value store and the capture journal are health components: the snapshot export
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
        snapshot = new HealthSnapshotMetrics(registry);
        refresh();
    }

    /** Takes this scrape's one health snapshot and connection list, and brings the series up to date. */
    private synchronized void refresh() {
        HealthStatus h = gateway.health();
        connections.update(gateway.connections());
        snapshot.refresh(h.toMap());
    }

    /** Counts one request outcome, e.g. ("api", "ok") or ("login", "failed"). */
    public void access(String action, String result) {
        Counter.builder("tickstock_admin_access").description("admin requests by action and result")
                .tag("action", action).tag("result", result).register(registry).increment();
    }

    /** The Prometheus text of every series, from one fresh snapshot of the gateway. */
    public synchronized String scrape() {
        refresh();
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
    public void bindAudit(io.tickstock.admin.internal.audit.AuditLog audit) {
        FunctionCounter.builder("tickstock_admin_audit_lines", audit, io.tickstock.admin.internal.audit.AuditLog::linesWritten)
                .description("audit lines written (summaries included)").register(registry);
        FunctionCounter.builder("tickstock_admin_audit_summarised", audit, io.tickstock.admin.internal.audit.AuditLog::linesSummarised)
                .description("repeated rejections counted into a per-minute summary line instead of written")
                .register(registry);
        FunctionCounter.builder("tickstock_admin_audit_write_failures", audit, io.tickstock.admin.internal.audit.AuditLog::writeFailures)
                .description("audit lines that could not be written").register(registry);
    }
}
