package io.tickstock.admin.internal.stream;

import io.tickstock.admin.internal.auth.PasswordVerifier;
import io.tickstock.admin.support.ServerFixture;
import io.tickstock.admin.support.TestClock;
import io.tickstock.admin.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static io.tickstock.admin.support.ServerFixture.ADMIN;
import static io.tickstock.admin.support.ServerFixture.ADMIN_PASSWORD;
import static io.tickstock.admin.support.ServerFixture.OPS;
import static io.tickstock.admin.support.ServerFixture.OPS_PASSWORD;
import static io.tickstock.admin.support.ServerFixture.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Live streams end with their login; origins are compared in full; the cookie is Secure over HTTPS. */
class SessionsAndOriginsIT {
    private static final String FORM = "application/x-www-form-urlencoded";
    private final TestClock clock = new TestClock();
    private ServerFixture f;

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private WsClient socket(String... headers) {
        return new WsClient(f.http, "ws://127.0.0.1:" + f.server.port() + "/admin-ws", headers);
    }

    private String origin() {
        return "http://127.0.0.1:" + f.server.port();
    }

    @Test
    void logoutClosesTheStreamsOfThatSessionOnly() throws Exception {
        f = new ServerFixture(Map.of("ADMIN_METRICS_INTERVAL", "100ms"));
        String alice = f.login(ADMIN, ADMIN_PASSWORD);
        String bob = f.login(OPS, OPS_PASSWORD);
        try (WsClient a1 = socket("Cookie", alice); WsClient a2 = socket("Cookie", alice); WsClient b = socket("Cookie", bob)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> f.server.stream().sessionCount() == 3
                    && !a1.events("metrics_update").isEmpty());
            assertThat(f.post("/logout", "", "Cookie", alice, "Origin", origin()).statusCode()).isEqualTo(303);
            await().atMost(Duration.ofSeconds(5)).until(() -> a1.closeCode != null && a2.closeCode != null);
            assertThat(a1.closeCode).isEqualTo(DashboardStream.SESSION_ENDED);
            assertThat(a2.closeCode).isEqualTo(DashboardStream.SESSION_ENDED);
            int before = a1.frames.size();
            int bBefore = b.events("metrics_update").size();
            await().atMost(Duration.ofSeconds(5)).until(() -> b.events("metrics_update").size() > bBefore + 3);
            assertThat(a1.frames).hasSize(before);
            assertThat(b.closeCode).isNull();
            assertThat(f.server.stream().sessionCount()).isEqualTo(1);
            // and the page cannot come back with the old cookie
            assertThat(f.wsStatus("Cookie", alice)).isEqualTo(401);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> f.auditLines().stream()
                .filter(l -> l.contains("ws_disconnect") && l.contains("1008 session ended")).count() == 2);
    }

    @Test
    void anExpiredSessionsStreamIsClosedWhileABasicAuthStreamStays() throws Exception {
        f = new ServerFixture(Map.of("ADMIN_SESSION_TIMEOUT", "10m"), clock, PasswordVerifier.PBKDF2);
        String cookie = f.login(ADMIN, ADMIN_PASSWORD);
        try (WsClient browser = socket("Cookie", cookie); WsClient script = socket("Authorization", basic(OPS, OPS_PASSWORD))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> f.server.stream().sessionCount() == 2);
            clock.advance(Duration.ofMinutes(9));
            await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> browser.closeCode == null);
            clock.advance(Duration.ofMinutes(1).plusSeconds(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> browser.closeCode != null);
            assertThat(browser.closeCode).isEqualTo(DashboardStream.SESSION_ENDED);
            assertThat(script.closeCode).isNull();
            assertThat(f.server.stream().sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void loginAndLogoutRefuseOtherOriginsIncludingOtherPortsAndSchemes() throws Exception {
        f = new ServerFixture();
        String form = "username=admin&password=" + ADMIN_PASSWORD;
        int port = f.server.port();
        for (String other : new String[] {"http://evil.example", "http://127.0.0.1:" + (port == 65535 ? 1 : port + 1),
                "https://127.0.0.1:" + port, "http://127.0.0.1", "null"}) {
            HttpResponse<String> r = f.post("/login", form, "Content-Type", FORM, "Origin", other);
            assertThat(r.statusCode()).as(other).isEqualTo(403);
            assertThat(r.headers().firstValue("Set-Cookie")).as(other).isEmpty();
            assertThat(r.body()).isEqualTo("{\"error\":\"cross-origin request refused\",\"status\":403}");
        }
        HttpResponse<String> ok = f.post("/login", form, "Content-Type", FORM, "Origin", origin());
        assertThat(ok.statusCode()).isEqualTo(303);
        String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

        assertThat(f.post("/logout", "", "Cookie", cookie, "Origin", "http://evil.example").statusCode()).isEqualTo(403);
        assertThat(f.get("/admin/websockets", "Cookie", cookie).statusCode()).isEqualTo(200); // still logged in
        assertThat(f.post("/api/admin/connections/1/reconnect", "", "Cookie", cookie, "Origin",
                "https://127.0.0.1:" + port).statusCode()).isEqualTo(403);
        assertThat(f.wsStatus("Cookie", cookie, "Origin", "http://127.0.0.1:" + (port + 1))).isEqualTo(403);
        assertThat(f.wsStatus("Cookie", cookie, "Origin", origin())).isEqualTo(101);
        // each refusal is audited; the anonymous login ones after the first of the minute as a count
        assertThat(f.auditLines()).filteredOn(l -> l.contains("cross-origin request")).hasSize(4);
        assertThat(f.server.audit().linesSummarised()).isEqualTo(4);
    }

    @Test
    void theCookieIsSecureOverHttpsOnlyWhenATrustedProxySaysSo() throws Exception {
        f = new ServerFixture(Map.of("ADMIN_TRUSTED_PROXIES", "127.0.0.1,::1"));
        String form = "username=admin&password=" + ADMIN_PASSWORD;
        String https = "https://127.0.0.1:" + f.server.port();
        HttpResponse<String> viaProxy = f.post("/login", form, "Content-Type", FORM, "X-Forwarded-Proto", "https",
                "Origin", https, "X-Forwarded-For", "203.0.113.7");
        assertThat(viaProxy.statusCode()).isEqualTo(303);
        assertThat(viaProxy.headers().firstValue("Set-Cookie").orElseThrow()).containsIgnoringCase("; Secure");
        HttpResponse<String> plain = f.post("/login", form, "Content-Type", FORM);
        assertThat(plain.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContainIgnoringCase("Secure");
        // the audit names the browser's address the trusted proxy forwarded
        assertThat(f.auditLines().get(0)).contains("\"client\":\"203.0.113.7\"", "\"action\":\"login\"", "\"result\":\"ok\"");
        f.close();

        f = new ServerFixture(); // no trusted proxy: the same headers from anyone are ignored
        HttpResponse<String> spoofed = f.post("/login", form, "Content-Type", FORM, "X-Forwarded-Proto", "https",
                "X-Forwarded-For", "203.0.113.7");
        assertThat(spoofed.statusCode()).isEqualTo(303);
        assertThat(spoofed.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContainIgnoringCase("Secure");
        assertThat(f.auditLines().get(0)).contains("\"client\":\"127.0.0.1\"");
        assertThat(f.post("/login", form, "Content-Type", FORM, "X-Forwarded-Proto", "https", "Origin",
                "https://127.0.0.1:" + f.server.port()).statusCode()).isEqualTo(403);
    }
}
