package io.tickstock.admin.internal.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Exposes every number of the health snapshot as a Prometheus series, so each drop, duplicate, invalid
 * event and rejection that a component counts in its health figures reaches {@code /metrics} without a
 * line of code here: a counter a component adds tomorrow appears at the next scrape.
 *
 * <p>Names: {@code tickstock_<key>} for the snapshot's own figures ({@code tickstock_duplicates_dropped_total}),
 * {@code tickstock_<component>_<key>} for a component's ({@code tickstock_redis_publisher_dropped_queue_full_total});
 * a nested map keyed by a connection id becomes a {@code connection} label, a list of maps with a
 * {@code name} a {@code name} label. Figures whose names say they only grow (dropped, duplicates, invalid,
 * rejected, errors, published …) are counters, the rest gauges; booleans are gauges of 0 or 1. The
 * number of series is capped (the keys come from code, never from feed input, but a bug must not
 * grow the registry without bound); what the cap refuses is counted in
 * {@code tickstock_metrics_series_refused_total}.
 */
final class HealthSnapshotMetrics {
    static final int MAX_SERIES = 2_000;
    private static final Pattern CONNECTION_ID = Pattern.compile("connection_\\d+");
    private static final Pattern COUNTER = Pattern.compile(
            ".*(dropped|duplicates|invalid|rejected|errors|error_count|malformed|unknown|published|offered|delivered"
                    + "|received|message_count|frames|bytes|events|batches|reconnects|evictions|recycles|pings_sent"
                    + "|control_messages|appended|failed|restarts|overflow|evicted|updates|written|skipped|expired|denied|transitions|holds|held_ms).*");
    /** Figures whose names look like counts but go up and down. */
    private static final Set<String> GAUGES = Set.of("total_connections", "connected_count",
            "subscribed_tickers", "in_flight", "queue_depth", "queue_capacity");

    private final MeterRegistry registry;
    private final Map<Series, Boolean> registered = new ConcurrentHashMap<>();
    private volatile Map<Series, Double> latest = Map.of();
    private volatile long refused;

    HealthSnapshotMetrics(MeterRegistry registry) {
        this.registry = registry;
        FunctionCounter.builder("tickstock_metrics_series_refused", this, m -> m.refused)
                .description("health figures not exported because the series cap was reached").register(registry);
    }

    /** Takes the scrape's snapshot and registers the series seen for the first time; call before each scrape. */
    synchronized void refresh(Map<String, Object> top) {
        Map<Series, Double> values = new HashMap<>();
        top.forEach((key, value) -> {
            if (value instanceof Map<?, ?> component) {
                if (!key.equals("connections")) { // per-connection figures have their own series already
                    walk("tickstock_" + key, component, Tags.empty(), values);
                }
            } else {
                leaf("tickstock_" + key, key, value, Tags.empty(), values);
            }
        });
        latest = values;
        for (Series s : values.keySet()) {
            if (!registered.containsKey(s)) {
                register(s);
            }
        }
    }

    private void walk(String prefix, Map<?, ?> map, Tags tags, Map<Series, Double> out) {
        map.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (v instanceof Map<?, ?> inner) {
                if (CONNECTION_ID.matcher(key).matches()) {
                    walk(prefix, inner, tags.and("connection", key), out);
                } else {
                    walk(prefix + "_" + key, inner, tags, out);
                }
            } else if (v instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof Map<?, ?> named && named.get("name") instanceof String name) {
                        walk(prefix + "_" + key, named, tags.and("name", name), out);
                    }
                }
            } else {
                leaf(prefix + "_" + key, key, v, tags, out);
            }
        });
    }

    private static void leaf(String name, String key, Object value, Tags tags, Map<Series, Double> out) {
        double d;
        if (value instanceof Number n) {
            d = n.doubleValue();
        } else if (value instanceof Boolean b) {
            d = b ? 1 : 0;
        } else {
            return;
        }
        boolean counter = !(value instanceof Boolean) && !GAUGES.contains(key) && COUNTER.matcher(key).matches();
        out.put(new Series(sanitize(name), tags, counter), d);
    }

    private void register(Series s) {
        if (registered.size() >= MAX_SERIES) {
            refused++;
            return;
        }
        registered.put(s, Boolean.TRUE);
        try {
            if (s.counter) {
                FunctionCounter.builder(s.name, this, m -> m.value(s)).tags(s.tags)
                        .description("health snapshot figure").register(registry);
            } else {
                Gauge.builder(s.name, this, m -> m.value(s)).tags(s.tags)
                        .description("health snapshot figure").register(registry);
            }
        } catch (IllegalArgumentException e) {
            refused++; // a name already taken with other labels or another type: keep the first
        }
    }

    private double value(Series s) {
        Double v = latest.get(s);
        return v == null ? Double.NaN : v;
    }

    private static String sanitize(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' ? c : '_');
        }
        return b.toString();
    }

    private record Series(String name, Tags tags, boolean counter) {
        Series {
            tags = Tags.of(tags.stream().map(t -> Tag.of(t.getKey(), t.getValue())).toList());
        }
    }
}
