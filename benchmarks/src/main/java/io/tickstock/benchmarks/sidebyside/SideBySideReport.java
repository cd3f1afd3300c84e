package io.tickstock.benchmarks.sidebyside;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The side-by-side figures as a Markdown table: medians over the rounds, the ratios the targets use. */
final class SideBySideReport {
    static final String RAW = "raw reader";
    static final String JS = "official JS client";
    static final String GATEWAY = "gateway, no Redis";
    static final String REDIS = "gateway with Redis";

    private final Map<String, List<SideBySideHarness.Run>> results;
    private final int rounds;
    private final long events;
    private final long warmup;
    private final int tickers;

    SideBySideReport(Map<String, List<SideBySideHarness.Run>> results, int rounds, long events, long warmup, int tickers) {
        this.results = results;
        this.rounds = rounds;
        this.events = events;
        this.warmup = warmup;
        this.tickers = tickers;
    }

    static String dashboards(int n) {
        return "gateway, " + n + (n == 1 ? " dashboard" : " dashboards");
    }

    void print(PrintStream out, String commandLine, Instant started, String loadStart, String loadEnd) {
        out.println();
        out.printf(Locale.ROOT, "Side by side, %s, `scripts/bench side-by-side %s`: 3 connections x %,d T+Q events "
                        + "(+%,d warm-up) over %,d tickers each, 200 per frame; median of %d rounds (min–max); "
                        + "load average at start %s, at end %s.%n%n", started, commandLine, events, warmup, tickers,
                rounds, loadStart, loadEnd);
        out.println("| reader | events/s | CPU-µs per event (reader process, all threads) | note |");
        out.println("| --- | --- | --- | --- |");
        double raw = median(RAW, SideBySideHarness.Run::rate);
        double js = median(JS, SideBySideHarness.Run::rate);
        double gw = median(GATEWAY, SideBySideHarness.Run::rate);
        row(out, RAW, "transport ceiling; harness process (corpus server) " + fmt(median(RAW, SideBySideHarness.Run::serverMicrosPerEvent))
                + " CPU-µs per event");
        row(out, JS, "JSON.parse of every message; " + ratio(js, raw) + "× the raw reader");
        row(out, GATEWAY, ratio(gw, js) + "× the JS client (target ≥ 2), " + ratio(gw, raw)
                + "× the raw reader (target ≥ 0.45); target ≤ 1.0 CPU-µs per event");
        if (results.containsKey(REDIS) && !results.get(REDIS).isEmpty()) {
            double published = median(REDIS, SideBySideHarness.Run::publishRate);
            long dropped = results.get(REDIS).stream().mapToLong(SideBySideHarness.Run::dropped).max().orElse(0);
            double pct = 100.0 * dropped / results.get(REDIS).get(0).events();
            double jvm = median(REDIS, SideBySideHarness.Run::cpuMicrosPerPublished);
            double server = median(REDIS, SideBySideHarness.Run::redisMicrosPerPublished);
            row(out, REDIS, "ingest; published " + rate(published) + "/s = " + ratio(published, gw)
                    + "× the no-Redis ingest (target ≥ 0.7); dropped before Redis at most " + String.format(Locale.ROOT,
                    "%,d (%.1f %%)", dropped, pct) + " (target 0); " + fmt(jvm)
                    + " CPU-µs per published tick (target ≤ 1.0); redis-server " + fmt(server)
                    + " CPU-µs per published tick, so publishing 0.7× the no-Redis ingest at these costs would take "
                    + fmt(0.7 * gw * (jvm + server) / 1e6) + " cores for the gateway and redis-server together");
        }
        for (String name : results.keySet()) {
            if (name.contains("dashboard")) {
                double d = median(name, SideBySideHarness.Run::rate);
                double frames = median(name, r -> r.dashboardFrames() / r.seconds());
                row(out, name, "ingest " + String.format(Locale.ROOT, "%+.0f %%", 100 * (d / gw - 1))
                        + " against no dashboards (target for 10: no worse than −10 %); "
                        + String.format(Locale.ROOT, "%.0f", frames) + " frames/s to all dashboards");
            }
        }
        out.println();
        out.println("Rates are events over the wall time from the start of the timed pass to the reader's last event; "
                + "CPU is utime+stime of the reader's process (/proc/<pid>/stat) over the same window.");
    }

    private void row(PrintStream out, String name, String note) {
        List<SideBySideHarness.Run> runs = results.get(name);
        if (runs == null || runs.isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "| %s | %s (%s–%s) | %s | %s |%n", name, rate(median(name, SideBySideHarness.Run::rate)),
                rate(min(name, SideBySideHarness.Run::rate)), rate(max(name, SideBySideHarness.Run::rate)),
                fmt(median(name, SideBySideHarness.Run::cpuMicrosPerEvent)), note);
    }

    private double median(String name, ToDoubleFunction<SideBySideHarness.Run> f) {
        List<SideBySideHarness.Run> runs = results.get(name);
        if (runs == null || runs.isEmpty()) {
            return Double.NaN;
        }
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private double min(String name, ToDoubleFunction<SideBySideHarness.Run> f) {
        return results.get(name).stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    private double max(String name, ToDoubleFunction<SideBySideHarness.Run> f) {
        return results.get(name).stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    private static String rate(double perSecond) {
        if (Double.isNaN(perSecond)) {
            return "n/a";
        }
        return perSecond >= 1e6 ? String.format(Locale.ROOT, "%.2f M", perSecond / 1e6)
                : String.format(Locale.ROOT, "%.0f k", perSecond / 1e3);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "n/a" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
