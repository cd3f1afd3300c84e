package io.tickstock.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.tickstock.admin.support.WsClient;
import io.tickstock.core.config.Settings;
import io.tickstock.emulator.MassiveEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.tickstock.admin.support.ServerFixture.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The assembled gateway (main's wiring) against the Massive emulator with a real API key. */
class GatewayAppIT {
    private static final String API_KEY = "sk-live-7f3c9a1e5b2d4c6f8a0b";
    private static final String PASSWORD = "it-admin-password";
    @TempDir
    Path dir;
    private MassiveEmulator emulator;
    private GatewayApp app;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger tickstock = (Logger) LoggerFactory.getLogger("io.tickstock");
    private Level previous;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() {
        logs.start();
        root.addAppender(logs);
        previous = tickstock.getLevel();
        tickstock.setLevel(Level.DEBUG);
        emulator = MassiveEmulator.builder().apiKeys(API_KEY).eventsPerSecond(3_000).build().start();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        emulator.close();
        tickstock.setLevel(previous);
        root.detachAppender(logs);
    }

    private Map<String, String> settings() {
        Map<String, String> m = new HashMap<>();
        m.put("MASSIVE_API_KEY", API_KEY);
        m.put("MASSIVE_WEBSOCKET_URL", emulator.url());
        m.put("MASSIVE_SUBSCRIPTION_CHANNELS", "T");
        m.put("USE_MULTI_CONNECTION", "true");
        m.put("WEBSOCKET_CONNECTION_1_ENABLED", "true");
        m.put("WEBSOCKET_CONNECTION_1_NAME", "primary");
        m.put("WEBSOCKET_CONNECTION_1_UNIVERSE_KEY", "tech_leaders:top_10");
        m.put("WEBSOCKET_CONNECTION_2_ENABLED", "true");
        m.put("WEBSOCKET_CONNECTION_2_NAME", "secondary");
        m.put("WEBSOCKET_CONNECTION_2_SYMBOLS", "JPM,BAC,WFC");
        m.put("ADMIN_PORT", "0");
        m.put("ADMIN_PASSWORD", PASSWORD);
        m.put("ADMIN_AUDIT_LOG", dir.resolve("audit.log").toString());
        m.put("ADMIN_METRICS_INTERVAL", "300ms");
        return m;
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.server().port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void emulatorTicksReachTheDashboardWithTheirConnectionIdAndTheApiKeyNeverLeaks() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        app = GatewayApp.start(Settings.of(settings()), new PrintStream(stdout, true, StandardCharsets.UTF_8));
        assertThat(app.demo()).isFalse();
        String auth = basic("admin", PASSWORD);
        List<String> bodies = new ArrayList<>();
        try (WsClient ws = new WsClient(http, "ws://127.0.0.1:" + app.server().port() + "/admin-ws", "Authorization", auth)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> ws.ticks(t -> t.get("connection_id").asText()
                    .equals("connection_2")).size() > 3 && ws.ticks(t -> t.get("connection_id").asText()
                    .equals("connection_1")).size() > 3);
            for (JsonNode t : ws.ticks(t -> true)) {
                assertThat(app.manager().getTickerAssignment(t.get("symbol").asText()))
                        .as("connection of %s", t.get("symbol").asText()).contains(t.get("connection_id").asText());
                assertThat(t.get("price").asDouble()).isPositive();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> ws.events("metrics_update").size() >= 2);
            ws.frames.forEach(f -> bodies.add(String.valueOf(f.data())));
        }
        for (String path : List.of("/admin/websockets", "/api/admin/websocket-status", "/api/admin/health-status")) {
            HttpResponse<String> r = get(path, "Authorization", auth);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            bodies.add(r.body());
        }
        for (String path : List.of("/health", "/metrics", "/login", "/static/dashboard.js", "/api/admin/nope")) {
            bodies.add(get(path).body());
        }
        JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                get("/api/admin/websocket-status", "Authorization", auth).body());
        assertThat(status.get("connections")).hasSize(3);
        assertThat(status.get("connections").get(0).get("config").get("ticker_count").asInt()).isEqualTo(10);
        assertThat(status.get("connections").get(1).get("config").get("symbols").toString())
                .isEqualTo("[\"BAC\",\"JPM\",\"WFC\"]");
        assertThat(status.get("demo").asBoolean()).isFalse();

        app.close();
        app = null;
        assertThat(bodies).allSatisfy(b -> assertThat(b).doesNotContain(API_KEY));
        assertThat(stdout.toString(StandardCharsets.UTF_8)).doesNotContain(API_KEY).doesNotContain(PASSWORD)
                .contains("/admin/websockets");
        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent e : logs.list) {
            assertThat(e.getFormattedMessage()).doesNotContain(API_KEY).doesNotContain(PASSWORD);
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(API_KEY);
            }
        }
        assertThat(Files.readString(dir.resolve("audit.log"))).doesNotContain(API_KEY).doesNotContain(PASSWORD);
    }

    @Test
    void theRunningGatewayServesLastValuesToJavaAndTheApi() throws Exception {
        app = GatewayApp.start(Settings.of(settings()), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        var store = app.lastValues();
        await().atMost(Duration.ofSeconds(15)).until(() -> store.get("JPM").isPresent() && store.get("BAC").isPresent());
        String auth = basic("admin", PASSWORD);
        HttpResponse<String> r = get("/api/admin/ticks/last?symbols=JPM,BAC,NOPE", "Authorization", auth);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        assertThat(body.at("/symbols/JPM/trade/connection_id").asText()).isEqualTo("connection_2");
        assertThat(body.at("/symbols/JPM/trade/price").asDouble()).isPositive();
        assertThat(body.at("/symbols/JPM/trade/sequence").asLong()).isPositive();
        assertThat(body.get("missing").toString()).isEqualTo("[\"NOPE\"]");
        JsonNode health = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                get("/api/admin/health-status", "Authorization", auth).body());
        assertThat(health.toString()).contains("\"last_value\"");
        assertThat(get("/metrics").body()).contains("tickstock_last_value_symbols");
    }

    @Test
    void singleConnectionModeListsEverySlotWithOnlyTheFirstEnabled() throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("MASSIVE_API_KEY", API_KEY);
        m.put("MASSIVE_WEBSOCKET_URL", emulator.url());
        m.put("ADMIN_PORT", "0");
        m.put("ADMIN_PASSWORD", PASSWORD);
        m.put("ADMIN_AUDIT_LOG", dir.resolve("audit.log").toString());
        app = GatewayApp.start(Settings.of(m), new PrintStream(new ByteArrayOutputStream()));
        JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                get("/api/admin/websocket-status", "Authorization", basic("admin", PASSWORD)).body());
        assertThat(status.get("connections")).extracting(c -> c.get("enabled").asBoolean())
                .containsExactly(true, false, false);
        assertThat(status.get("connections").get(0).get("config").get("ticker_count").asInt())
                .isEqualTo(8); // the built-in default list
        assertThat(status.get("connections").get(1).get("status").asText()).isEqualTo("disabled");
        assertThat(status.get("summary").get("total").asInt()).isEqualTo(3);
    }

    @Test
    void demoModePrintsTheUrlAndAGeneratedPasswordToStdoutOnly() throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("ADMIN_PORT", "0");
        m.put("ADMIN_AUDIT_LOG", dir.resolve("audit.log").toString());
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        app = GatewayApp.start(Settings.of(m), new PrintStream(stdout, true, StandardCharsets.UTF_8));
        String out = stdout.toString(StandardCharsets.UTF_8);
        assertThat(app.demo()).isTrue();
        assertThat(out).contains("DEMO MODE").contains("http://127.0.0.1:" + app.server().port() + "/admin/websockets");
        String password = out.replaceAll("(?s).*generated password: (\\S+).*", "$1");
        assertThat(password).hasSizeGreaterThanOrEqualTo(16);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).anyMatch(s -> s.contains("DEMO MODE"))
                .noneMatch(s -> s.contains(password));
        assertThat(app.manager().getConnections()).extracting(c -> c.name())
                .containsExactly("primary", "secondary", "tertiary");
        assertThat(app.manager().getConnections()).extracting(c -> c.universeKey().orElse(""))
                .doesNotHaveDuplicates();
        assertThat(get("/api/admin/websocket-status", "Authorization", basic("admin", password)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void withTheDashboardDisabledTheBannerPointsAtHealthAndMetricsNotAtAPageThatAnswers404() throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("ADMIN_PORT", "0");
        m.put("ADMIN_AUDIT_LOG", dir.resolve("audit.log").toString());
        m.put("ADMIN_WEBSOCKET_DASHBOARD_ENABLED", "false");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        app = GatewayApp.start(Settings.of(m), new PrintStream(stdout, true, StandardCharsets.UTF_8));
        String base = "http://127.0.0.1:" + app.server().port();
        assertThat(stdout.toString(StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty()))
                .containsExactly("TickStock gateway " + AdminMain.version() + "  [DEMO MODE: synthetic data]",
                        "Dashboard: disabled (ADMIN_WEBSOCKET_DASHBOARD_ENABLED=false); health " + base
                                + "/health, metrics " + base + "/metrics");
        assertThat(get("/admin/websockets").statusCode()).isEqualTo(404);
        assertThat(get("/login").statusCode()).isEqualTo(404);
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(l -> l.contains("/admin/websockets"));
    }
}
