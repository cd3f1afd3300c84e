package io.tickstock.admin.internal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.admin.GatewayApp;
import io.tickstock.core.config.Settings;
import io.tickstock.emulator.MassiveEmulator;
import io.tickstock.redis.testing.RedisServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** /health/live, /health/ready and the loss and GC series of /metrics, against a real Redis and feed. */
class OperatorHealthIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final String API_KEY = "sk-live-health-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private MassiveEmulator emulator;
    private GatewayApp app;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private void start() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys(API_KEY).eventsPerSecond(2_000).build().start();
        Map<String, String> m = new HashMap<>();
        m.put("MASSIVE_API_KEY", API_KEY);
        m.put("MASSIVE_WEBSOCKET_URL", emulator.url());
        m.put("MASSIVE_SUBSCRIPTION_CHANNELS", "T");
        m.put("USE_MULTI_CONNECTION", "true");
        m.put("WEBSOCKET_CONNECTION_1_ENABLED", "true");
        m.put("WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT");
        m.put("WEBSOCKET_CONNECTION_2_ENABLED", "true");
        m.put("WEBSOCKET_CONNECTION_2_SYMBOLS", "JPM,AAPL");
        m.put("WEBSOCKET_REDUNDANT_SYMBOLS", "AAPL");
        m.put("REDIS_URL", REDIS.uri());
        m.put("REDIS_RECONNECT_MAX_DELAY", "200ms");
        m.put("ADMIN_PORT", "0");
        m.put("ADMIN_PASSWORD", "it-admin-password");
        m.put("ADMIN_AUDIT_LOG", dir.resolve("audit.log").toString());
        app = GatewayApp.start(Settings.of(m), new PrintStream(new ByteArrayOutputStream()));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.server().port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyWhenFeedAndRedisAreUpNotReadyWithAReasonWhenRedisGoesAwayLiveThroughout() throws Exception {
        start();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health/ready").statusCode() == 200);
        JsonNode ready = JSON.readTree(get("/health/ready").body());
        assertThat(ready.get("status").asText()).isEqualTo("UP");
        assertThat(ready.get("checks").get("feed").asText()).isEqualTo("UP");
        assertThat(ready.get("checks").get("redis").asText()).isEqualTo("UP");
        assertThat(ready.has("reason")).isFalse();

        REDIS.server().kill();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health/ready").statusCode() == 503);
        HttpResponse<String> notReady = get("/health/ready");
        assertThat(notReady.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode down = JSON.readTree(notReady.body());
        assertThat(down.get("status").asText()).isEqualTo("DOWN");
        assertThat(down.get("checks").get("redis").asText()).isEqualTo("DOWN");
        assertThat(down.get("checks").get("feed").asText()).isEqualTo("UP");
        assertThat(down.get("reason").asText()).isEqualTo("redis: not connected");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(get("/health/live").body()).get("status").asText()).isEqualTo("UP");
        assertThat(get("/health").body()).isEqualTo("{\"status\":\"UP\"}");

        REDIS.server().restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health/ready").statusCode() == 200);
    }

    @Test
    void notReadyWhileNoFeedConnectionIsConnected() throws Exception {
        start();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health/ready").statusCode() == 200);
        emulator.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health/ready").statusCode() == 503);
        JsonNode down = JSON.readTree(get("/health/ready").body());
        assertThat(down.get("checks").get("feed").asText()).isEqualTo("DOWN");
        assertThat(down.get("reason").asText()).startsWith("feed: no connection is connected (connection_1 ");
    }

    @Test
    void metricsCarryEveryLossCounterAndGcFigures() throws Exception {
        start();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health/ready").statusCode() == 200);
        System.gc(); // so that the GC pause series has at least one sample
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/metrics").body().contains("jvm_gc_pause_seconds_count"));
        String metrics = get("/metrics").body();
        assertThat(metrics)
                .contains("jvm_gc_memory_allocated_bytes_total")
                .contains("jvm_gc_overhead")
                .contains("# TYPE tickstock_duplicates_dropped_total counter")
                .contains("# TYPE tickstock_ticks_delivered_total counter")
                .contains("# TYPE tickstock_redis_publisher_dropped_queue_full_total counter")
                .contains("# TYPE tickstock_redis_publisher_dropped_redis_total counter")
                .contains("# TYPE tickstock_redis_publisher_published_total counter")
                .contains("# TYPE tickstock_redis_publisher_queue_depth gauge")
                .contains("# TYPE tickstock_redis_publisher_redis_connected gauge")
                .contains("tickstock_massive_feed_invalid_events_total{connection=\"connection_1\"}")
                .contains("tickstock_massive_feed_malformed_frames_total{connection=\"connection_2\"}")
                .contains("tickstock_massive_feed_rejected_tickers_total{connection=\"connection_1\"}")
                .contains("tickstock_massive_feed_server_errors_total{connection=\"connection_2\"}")
                .doesNotContain("tickstock_metrics_series_refused_total 1");
        // AAPL rides on two connections: duplicates are dropped and counted, and the figure reaches /metrics
        await().atMost(Duration.ofSeconds(30)).until(() -> value(get("/metrics").body(),
                "tickstock_duplicates_dropped_total") > 0);
    }

    private static double value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(series.length() + 1).trim())).findFirst().orElse(-1);
    }
}
