package io.tickstock.admin.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.admin.support.FakeGateway;
import io.tickstock.admin.support.ServerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.tickstock.admin.support.ServerFixture.ADMIN;
import static io.tickstock.admin.support.ServerFixture.ADMIN_PASSWORD;
import static io.tickstock.admin.support.ServerFixture.VIEWER;
import static io.tickstock.admin.support.ServerFixture.VIEWER_PASSWORD;
import static io.tickstock.admin.support.ServerFixture.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminHttpIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private ServerFixture f;

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void anonymousBrowserIsSentToTheLoginPage() throws Exception {
        f = new ServerFixture();
        HttpResponse<String> r = f.get("/admin/websockets");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains("/login?next=%2Fadmin%2Fwebsockets");
        HttpResponse<String> login = f.get("/login?next=/admin/websockets");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("name=\"password\"").contains("value=\"/admin/websockets\"");
    }

    @Test
    void anonymousApiCallGets401WithABasicChallenge() throws Exception {
        f = new ServerFixture();
        HttpResponse<String> r = f.get("/api/admin/websocket-status");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
        assertThat(f.get("/api/admin/health-status").statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = f.get("/api/admin/websocket-status", "Authorization", basic(ADMIN, "nope-nope"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        // the page's own fetches must not trigger the browser's Basic dialog
        HttpResponse<String> fromPage = f.get("/api/admin/websocket-status", "X-Requested-With", "tickstock-dashboard");
        assertThat(fromPage.statusCode()).isEqualTo(401);
        assertThat(fromPage.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void viewerIsForbiddenOnPageApiAndWebSocket() throws Exception {
        f = new ServerFixture();
        String cookie = f.login(VIEWER, VIEWER_PASSWORD);
        assertThat(f.get("/admin/websockets", "Cookie", cookie).statusCode()).isEqualTo(403);
        assertThat(f.get("/api/admin/websocket-status", "Authorization", basic(VIEWER, VIEWER_PASSWORD)).statusCode())
                .isEqualTo(403);
        assertThat(f.get("/api/admin/health-status", "Cookie", cookie).statusCode()).isEqualTo(403);
        assertThat(f.post("/api/admin/connections/1/reconnect", "", "Cookie", cookie).statusCode()).isEqualTo(403);
        assertThat(wsStatus(f, "Cookie", cookie)).isEqualTo(403);
        assertThat(wsStatus(f, "Authorization", basic(VIEWER, VIEWER_PASSWORD))).isEqualTo(403);
        assertThat(wsStatus(f)).isEqualTo(401);
        assertThat(f.gateway.reconnects).isEmpty();
    }

    @Test
    void adminGetsEveryKeyOfTheStatusJson() throws Exception {
        f = new ServerFixture();
        f.gateway.tick("connection_1", "AAPL", 178.23);
        HttpResponse<String> r = f.get("/api/admin/websocket-status", "Authorization", basic(ADMIN, ADMIN_PASSWORD));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(names(body)).contains("connections", "summary");
        assertThat(body.get("connections")).hasSize(3);
        JsonNode c1 = body.get("connections").get(0);
        assertThat(names(c1)).containsExactly("id", "connection_id", "name", "enabled", "connected", "status",
                "uptime_seconds", "last_heartbeat", "priority", "config", "metrics");
        assertThat(names(c1.get("config"))).contains("universe_key", "symbols", "ticker_count");
        assertThat(names(c1.get("metrics"))).contains("messages_per_second", "message_count", "last_update",
                "error_count", "last_error");
        assertThat(names(body.get("summary"))).contains("total", "connected", "ticks_total", "errors_total");
        assertThat(c1.get("id").asInt()).isEqualTo(1);
        assertThat(c1.get("connection_id").asText()).isEqualTo("connection_1");
        assertThat(c1.get("name").asText()).isEqualTo("primary");
        assertThat(c1.get("status").asText()).isEqualTo("connected");
        assertThat(c1.get("config").get("universe_key").asText()).isEqualTo("market_leaders:top_50");
        assertThat(c1.get("config").get("ticker_count").asInt()).isEqualTo(3);
        assertThat(c1.get("metrics").get("message_count").asLong()).isEqualTo(1);
        assertThat(c1.get("last_heartbeat").isTextual()).isTrue();
        JsonNode c3 = body.get("connections").get(2);
        assertThat(c3.get("enabled").asBoolean()).isFalse();
        assertThat(c3.get("status").asText()).isEqualTo("disabled");
        assertThat(body.get("summary").get("total").asInt()).isEqualTo(3);
        assertThat(body.get("summary").get("connected").asInt()).isEqualTo(2);
        assertThat(body.get("summary").get("ticks_total").asLong()).isEqualTo(1);

        HttpResponse<String> health = f.get("/api/admin/health-status", "Authorization", basic(ADMIN, ADMIN_PASSWORD));
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode h = JSON.readTree(health.body());
        assertThat(names(h)).contains("total_connections", "connected_count", "total_ticks_received", "total_errors", "connections");
        assertThat(names(h.get("connections").get("connection_1"))).contains("name", "status", "assigned_tickers",
                "message_count", "error_count", "last_message_time");
    }

    @Test
    void loginSetsAnHttpOnlySameSiteCookieThatOpensThePage() throws Exception {
        f = new ServerFixture();
        HttpResponse<String> r = f.post("/login", "username=admin&password=" + ADMIN_PASSWORD + "&next=/admin/websockets",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/admin/websockets");
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("tickstock_session=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> page = f.get("/admin/websockets", "Cookie", cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("primary", "secondary", "tertiary", "conn-c1", "conn-c2", "conn-c3",
                "/static/dashboard.js", "DEMO DATA");
        assertThat(page.body()).doesNotContain(ADMIN_PASSWORD);
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                v -> assertThat(v).contains("frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(f.get("/static/dashboard.js").statusCode()).isEqualTo(200);

        HttpResponse<String> bad = f.post("/login", "username=admin&password=wrong-password&next=//evil.example",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.body()).contains("Wrong user name or password").doesNotContain("wrong-password")
                .contains("value=\"/admin/websockets\"");

        HttpResponse<String> out = f.post("/logout", "", "Cookie", cookie);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(f.get("/admin/websockets", "Cookie", cookie).statusCode()).isEqualTo(302);
    }

    @Test
    void theLoginPageEscapesWhatItEchoes() throws Exception {
        f = new ServerFixture();
        HttpResponse<String> r = f.get("/login?next=/%22%3E%3Cscript%3Ealert(1)%3C/script%3E");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("<script>alert(1)");
        HttpResponse<String> bad = f.post("/login", "username=%22%3E%3Cscript%3Ex()%3C/script%3E&password=whatever-1",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.body()).doesNotContain("<script>x()");
    }

    @Test
    void killSwitchAnswers404ForPageApiAndWebSocket() throws Exception {
        f = new ServerFixture(Map.of("ADMIN_WEBSOCKET_DASHBOARD_ENABLED", "false"));
        String auth = basic(ADMIN, ADMIN_PASSWORD);
        assertThat(f.get("/admin/websockets", "Authorization", auth).statusCode()).isEqualTo(404);
        assertThat(f.get("/api/admin/websocket-status", "Authorization", auth).statusCode()).isEqualTo(404);
        assertThat(f.get("/api/admin/health-status", "Authorization", auth).statusCode()).isEqualTo(404);
        assertThat(f.post("/api/admin/connections/1/reconnect", "", "Authorization", auth).statusCode()).isEqualTo(404);
        assertThat(wsStatus(f, "Authorization", auth)).isEqualTo(404);
        // nothing to log in to either
        assertThat(f.get("/login").statusCode()).isEqualTo(404);
        assertThat(f.post("/login", "username=admin&password=" + ADMIN_PASSWORD,
                "Content-Type", "application/x-www-form-urlencoded").statusCode()).isEqualTo(404);
        assertThat(f.get("/").statusCode()).isEqualTo(404);
        assertThat(f.get("/static/dashboard.js").statusCode()).isEqualTo(404);
        assertThat(f.get("/health").statusCode()).isEqualTo(200);
        assertThat(f.get("/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void theIconIsLinkedByThePagesAndServedAtFaviconIcoSoNoBrowserGetsA404() throws Exception {
        f = new ServerFixture();
        assertThat(f.get("/login").body()).contains("<link rel=\"icon\" type=\"image/svg+xml\" href=\"/static/favicon.svg\">");
        assertThat(f.get("/admin/websockets", "Authorization", basic(ADMIN, ADMIN_PASSWORD)).body())
                .contains("<link rel=\"icon\" type=\"image/svg+xml\" href=\"/static/favicon.svg\">");
        HttpResponse<String> icon = f.get("/favicon.ico");
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("image/svg+xml"));
        assertThat(icon.body()).startsWith("<svg ");
        assertThat(f.get("/static/favicon.svg").body()).isEqualTo(icon.body());
    }

    @Test
    void pastTheRateLimitsRequestsGet429WithRetryAfter() throws Exception {
        f = new ServerFixture(Map.of("ADMIN_RATE_LIMIT_API", "3/1m", "ADMIN_RATE_LIMIT_LOGIN", "2/1m",
                "ADMIN_RATE_LIMIT_WS", "1/1m"));
        String auth = basic(ADMIN, ADMIN_PASSWORD);
        for (int i = 0; i < 3; i++) {
            assertThat(f.get("/api/admin/websocket-status", "Authorization", auth).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = f.get("/api/admin/websocket-status", "Authorization", auth);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                s -> assertThat(s).isBetween(1L, 60L));

        for (int i = 0; i < 2; i++) {
            assertThat(f.post("/login", "username=admin&password=bad-password", "Content-Type",
                    "application/x-www-form-urlencoded").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> loginLimited = f.post("/login", "username=admin&password=" + ADMIN_PASSWORD,
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(loginLimited.statusCode()).isEqualTo(429);
        assertThat(loginLimited.headers().firstValue("Retry-After")).isPresent();

        WebSocket ws = openWs(f, "Authorization", auth);
        assertThat(wsStatus(f, "Authorization", auth)).isEqualTo(429);
        ws.abort();
    }

    @Test
    void dashboardsBeyondTheLimitAreRefusedBeforeTheUpgrade() throws Exception {
        f = new ServerFixture(Map.of("ADMIN_WS_MAX_SESSIONS", "1"));
        String auth = basic(ADMIN, ADMIN_PASSWORD);
        WebSocket first = openWs(f, "Authorization", auth);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> f.server.stream().sessionCount() == 1);
        assertThat(wsStatus(f, "Authorization", auth)).isEqualTo(503);
        first.abort();
    }

    @Test
    void everyAccessWritesOneAuditLine() throws Exception {
        f = new ServerFixture();
        String auth = basic(ADMIN, ADMIN_PASSWORD);
        f.get("/api/admin/websocket-status", "Authorization", auth);
        f.get("/api/admin/websocket-status");
        f.get("/api/admin/health-status", "Authorization", basic(VIEWER, VIEWER_PASSWORD));
        f.post("/api/admin/connections/2/reconnect", "", "Authorization", auth);
        f.get("/health");
        f.get("/metrics");

        List<String> lines = f.auditLines();
        assertThat(lines).hasSize(4);
        List<JsonNode> entries = new ArrayList<>();
        for (String l : lines) {
            JsonNode n = JSON.readTree(l);
            assertThat(names(n)).contains("time", "user", "client", "action", "target", "result");
            assertThat(n.get("client").asText()).isEqualTo("127.0.0.1");
            entries.add(n);
        }
        assertThat(entries.get(0).get("user").asText()).isEqualTo("admin");
        assertThat(entries.get(0).get("result").asText()).isEqualTo("ok");
        assertThat(entries.get(0).get("target").asText()).isEqualTo("GET /api/admin/websocket-status");
        assertThat(entries.get(1).get("user").isNull()).isTrue();
        assertThat(entries.get(1).get("result").asText()).isEqualTo("unauthenticated");
        assertThat(entries.get(2).get("user").asText()).isEqualTo("viewer");
        assertThat(entries.get(2).get("result").asText()).isEqualTo("forbidden");
        assertThat(entries.get(3).get("action").asText()).isEqualTo("reconnect");
        assertThat(entries.get(3).get("target").asText()).isEqualTo("POST /api/admin/connections/2/reconnect");
        assertThat(entries.get(3).get("result").asText()).isEqualTo("ok");
    }

    @Test
    void reconnectActsOnEnabledConnectionsOnly() throws Exception {
        f = new ServerFixture();
        String auth = basic(ADMIN, ADMIN_PASSWORD);
        HttpResponse<String> ok = f.post("/api/admin/connections/2/reconnect", "", "Authorization", auth);
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(ok.body()).get("connection_id").asText()).isEqualTo("connection_2");
        assertThat(f.post("/api/admin/connections/connection_1/reconnect", "", "Authorization", auth).statusCode())
                .isEqualTo(202);
        assertThat(f.post("/api/admin/connections/3/reconnect", "", "Authorization", auth).statusCode()).isEqualTo(409);
        assertThat(f.post("/api/admin/connections/9/reconnect", "", "Authorization", auth).statusCode()).isEqualTo(404);
        assertThat(f.post("/api/admin/connections/1/reconnect", "", "Authorization", auth,
                "Origin", "http://evil.example").statusCode()).isEqualTo(403);
        assertThat(f.gateway.reconnects).containsExactly("connection_2", "connection_1");
    }

    @Test
    void reconnectWithoutControlIsAClearConflict() throws Exception {
        FakeGateway remote = new FakeGateway();
        remote.offersControl = false; // as the view of gateway nodes in Redis
        f = new ServerFixture(remote);
        String auth = basic(ADMIN, ADMIN_PASSWORD);
        HttpResponse<String> r = f.post("/api/admin/connections/2/reconnect", "", "Authorization", auth);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(JSON.readTree(r.body()).get("error").asText())
                .isEqualTo("reconnect is not offered here: this server shows gateway nodes from Redis; "
                        + "reconnect on the node's own admin server");
        assertThat(remote.reconnects).isEmpty();
        // the page disables every reconnect button (three slots), where the local gateway's page disables none
        String noControl = "disabled title=\"Reconnect it on its node&#x27;s own dashboard\"";
        String page = f.get("/admin/websockets", "Cookie", f.login(ADMIN, ADMIN_PASSWORD)).body();
        assertThat(page.split(noControl, -1)).hasSize(4);
        try (ServerFixture local = new ServerFixture()) {
            assertThat(local.get("/admin/websockets", "Cookie", local.login(ADMIN, ADMIN_PASSWORD)).body())
                    .contains("js-reconnect").doesNotContain(noControl);
        }
    }

    @Test
    void healthAndMetricsNeedNoLoginAndShowNoSecret() throws Exception {
        f = new ServerFixture();
        HttpResponse<String> h = f.get("/health");
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.body()).isEqualTo("{\"status\":\"UP\"}");
        HttpResponse<String> m = f.get("/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(m.body()).contains("tickstock_connection_up{connection=\"connection_1\",name=\"primary\"} 1.0")
                .contains("tickstock_admin_dashboards").contains("jvm_memory_used_bytes");
        assertThat(m.body()).doesNotContain(ADMIN_PASSWORD);
    }

    static int wsStatus(ServerFixture f, String... headers) {
        return f.wsStatus(headers);
    }

    static WebSocket openWs(ServerFixture f, String... headers) {
        return f.openWs(headers);
    }

    static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
