package io.tickstock.benchmarks.admin;

import io.tickstock.admin.GatewayApp;
import io.tickstock.core.config.Settings;
import io.tickstock.emulator.MassiveEmulator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * End to end: Massive emulator at a target event rate → 3 Netty connections → manager → in-process
 * bus → admin stream → N WebSocket dashboards. Reports the ingest rate reached, tick-to-dashboard
 * latency (gateway receive time to the dashboard client's receipt of the frame, p50/p99/max) and
 * frames and ticks per second per dashboard.
 *
 * <p>System properties: {@code rate} (events/s, default 100000), {@code dashboards} (10),
 * {@code tickersPerConnection} (500), {@code warmupSeconds} (10), {@code seconds} (20).
 * Run: {@code java -cp benchmarks/target/benchmarks.jar io.tickstock.benchmarks.admin.DashboardLatencyHarness}
 */
public final class DashboardLatencyHarness {
    private static final String PASSWORD = "bench-password-1";

    /** One dashboard client: counts frames and ticks and samples latency, parsing only what it needs. */
    static final class Dashboard implements WebSocket.Listener {
        final StringBuilder partial = new StringBuilder();
        volatile boolean measuring;
        long frames;
        long ticks;
        long[] latencies = new long[1 << 16];
        int n;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.currentTimeMillis();
                String s = partial.toString();
                partial.setLength(0);
                if (measuring && s.startsWith("{\"event\":\"tick_update\"")) {
                    frames++;
                    int i = 0;
                    while ((i = s.indexOf("\"received_at\":", i)) >= 0) {
                        i += 14;
                        int j = i;
                        while (j < s.length() && Character.isDigit(s.charAt(j))) {
                            j++;
                        }
                        long at = Long.parseLong(s, i, j, 10);
                        ticks++;
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = now - at;
                    }
                }
            }
            ws.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }

    public static void main(String[] args) throws Exception {
        long rate = Long.getLong("rate", 100_000);
        int dashboards = Integer.getInteger("dashboards", 10);
        int perConnection = Integer.getInteger("tickersPerConnection", 500);
        int warmup = Integer.getInteger("warmupSeconds", 10);
        int seconds = Integer.getInteger("seconds", 20);

        String key = "bench-key-0123456789";
        List<String> listed = new ArrayList<>();
        for (int c = 1; c <= 3; c++) {
            listed.addAll(List.of(symbols(c, perConnection).split(",")));
        }
        try (MassiveEmulator emulator = MassiveEmulator.builder().apiKeys(key).eventsPerSecond(rate)
                .knownTickers(listed).build().start()) {
            Map<String, String> m = new HashMap<>();
            m.put("MASSIVE_API_KEY", key);
            m.put("MASSIVE_WEBSOCKET_URL", emulator.url());
            m.put("MASSIVE_SUBSCRIPTION_CHANNELS", "T");
            m.put("USE_MULTI_CONNECTION", "true");
            for (int c = 1; c <= 3; c++) {
                m.put("WEBSOCKET_CONNECTION_" + c + "_ENABLED", "true");
                m.put("WEBSOCKET_CONNECTION_" + c + "_SYMBOLS", symbols(c, perConnection));
            }
            m.put("ADMIN_PORT", "0");
            m.put("ADMIN_PASSWORD", PASSWORD);
            m.put("ADMIN_AUDIT_LOG", System.getProperty("java.io.tmpdir") + "/tickstock-bench-audit.log");
            m.put("ADMIN_RATE_LIMIT_WS", "1000/1m");
            try (GatewayApp app = GatewayApp.start(Settings.of(m), new PrintStream(new ByteArrayOutputStream()))) {
                HttpClient http = HttpClient.newHttpClient();
                String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
                List<Dashboard> clients = new ArrayList<>();
                List<WebSocket> sockets = new ArrayList<>();
                for (int i = 0; i < dashboards; i++) {
                    Dashboard d = new Dashboard();
                    clients.add(d);
                    sockets.add(http.newWebSocketBuilder().header("Authorization", auth)
                            .buildAsync(URI.create("ws://127.0.0.1:" + app.server().port() + "/admin-ws"), d)
                            .get(10, TimeUnit.SECONDS));
                }
                System.out.printf("warming up %d s: target %,d events/s, 3 x %d tickers, %d dashboards%n",
                        warmup, rate, perConnection, dashboards);
                Thread.sleep(Duration.ofSeconds(warmup).toMillis()); // a harness, not a test: fixed-length phases
                long ticks0 = app.manager().getHealthStatus().totalTicksReceived();
                long t0 = System.nanoTime();
                clients.forEach(d -> d.measuring = true);
                Thread.sleep(Duration.ofSeconds(seconds).toMillis());
                clients.forEach(d -> d.measuring = false);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                long ticks1 = app.manager().getHealthStatus().totalTicksReceived();
                Map<String, Object> stream = app.server().stream().health();
                sockets.forEach(WebSocket::abort);

                long[] all = clients.stream().flatMapToLong(d -> Arrays.stream(d.latencies, 0, d.n)).sorted().toArray();
                System.out.printf("ingest: %,.0f events/s reached (target %,d)%n", (ticks1 - ticks0) / elapsed, rate);
                System.out.printf("tick-to-dashboard latency over %,d ticks: p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms%n",
                        all.length, pct(all, 50), pct(all, 99), pct(all, 99.9), all.length == 0 ? 0 : all[all.length - 1]);
                StringJoiner perDash = new StringJoiner(", ");
                for (Dashboard d : clients) {
                    perDash.add(String.format("%.1f frames/s %,.0f ticks/s", d.frames / elapsed, d.ticks / elapsed));
                }
                System.out.println("per dashboard: " + perDash);
                System.out.println("admin stream: " + stream);
            }
        }
        System.exit(0);
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    static String symbols(int connection, int count) {
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < count; i++) {
            j.add(String.format("S%c%04d", (char) ('A' + connection - 1), i));
        }
        return j.toString();
    }
}
