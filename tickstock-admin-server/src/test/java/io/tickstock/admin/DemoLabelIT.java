package io.tickstock.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tickstock.core.config.Settings;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tickstock.admin.support.ServerFixture.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Demo mode with Redis: synthetic ticks say so in every Redis message, in both status APIs and on the page. */
class DemoLabelIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private GatewayApp app;
    private RedisClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (client != null) {
            client.shutdown();
        }
    }

    @Test
    void demoTicksAreLabelledDemoInRedisTheApisAndThePage() throws Exception {
        List<String> messages = new CopyOnWriteArrayList<>();
        client = RedisClient.create(REDIS.uri());
        StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                messages.add(message);
            }
        });
        sub.sync().subscribe("tickstock:market:ticks");

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        app = GatewayApp.start(Settings.of(Map.of("REDIS_URL", REDIS.uri(), "ADMIN_PORT", "0",
                "ADMIN_AUDIT_LOG", dir.resolve("audit.log").toString(),
                "TICKSTOCK_DEMO_EVENTS_PER_SECOND", "600")), new PrintStream(stdout, true, StandardCharsets.UTF_8));
        assertThat(app.demo()).isTrue();
        String password = stdout.toString(StandardCharsets.UTF_8).replaceAll("(?s).*generated password: (\\S+).*", "$1");

        await().atMost(Duration.ofSeconds(30)).until(() -> messages.size() >= 50);
        for (String m : messages) {
            JsonNode tick = JSON.readTree(m);
            assertThat(tick.get("type").asText()).isEqualTo("market_tick");
            assertThat(tick.get("source").asText()).as(m).isEqualTo("demo");
        }

        String auth = basic("admin", password);
        JsonNode health = JSON.readTree(get("/api/admin/health-status", auth).body());
        assertThat(health.get("demo").asBoolean()).isTrue();
        assertThat(health.has("total_ticks_received")).isTrue();
        JsonNode status = JSON.readTree(get("/api/admin/websocket-status", auth).body());
        assertThat(status.get("demo").asBoolean()).isTrue();
        String page = get("/admin/websockets", auth).body();
        assertThat(page).contains("id=\"demo-banner\"").contains("synthetic").contains("DEMO DATA");
    }

    private HttpResponse<String> get(String path, String auth) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.server().port() + path))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r;
    }
}
