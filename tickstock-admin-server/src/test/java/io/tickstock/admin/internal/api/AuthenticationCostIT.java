package io.tickstock.admin.internal.api;

import io.tickstock.admin.internal.auth.PasswordVerifier;
import io.tickstock.admin.support.CountingVerifier;
import io.tickstock.admin.support.ServerFixture;
import io.tickstock.admin.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.tickstock.admin.support.ServerFixture.ADMIN;
import static io.tickstock.admin.support.ServerFixture.ADMIN_PASSWORD;
import static io.tickstock.admin.support.ServerFixture.OPS;
import static io.tickstock.admin.support.ServerFixture.OPS_PASSWORD;
import static io.tickstock.admin.support.ServerFixture.basic;
import static org.assertj.core.api.Assertions.assertThat;

/** What password guessing costs the server: hash counts through an instrumented verifier. */
class AuthenticationCostIT {
    private static final String FORM = "application/x-www-form-urlencoded";
    private final CountingVerifier hasher = new CountingVerifier();
    private ServerFixture f;

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private ServerFixture server(Map<String, String> overrides, PasswordVerifier verifier) throws Exception {
        return new ServerFixture(overrides, new TestClock(), verifier);
    }

    @Test
    void failedAuthenticationIsLimitedPerClientBeforeAnyHashingOnEveryRoute() throws Exception {
        f = server(Map.of("ADMIN_RATE_LIMIT_AUTH_FAILURES", "3/1m"), hasher);
        for (int i = 0; i < 3; i++) {
            assertThat(f.get("/api/admin/health-status", "Authorization", basic(ADMIN, "guess-" + i)).statusCode())
                    .isEqualTo(401);
        }
        assertThat(hasher.count()).isEqualTo(3);

        HttpResponse<String> limited = f.get("/api/admin/health-status", "Authorization", basic(ADMIN, "guess-4"));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("20");
        assertThat(limited.body()).isEqualTo("{\"error\":\"too many failed authentications, retry after 20s\",\"status\":429}");
        // every route that takes a password shares the budget, and none of them hashes any more
        assertThat(f.get("/api/admin/health-status", "Authorization", basic(ADMIN, ADMIN_PASSWORD)).statusCode())
                .isEqualTo(429);
        assertThat(f.get("/admin/websockets", "Authorization", basic(OPS, "guess-5")).statusCode()).isEqualTo(429);
        assertThat(AdminHttpIT.wsStatus(f, "Authorization", basic(OPS, "guess-6"))).isEqualTo(429);
        HttpResponse<String> login = f.post("/login", "username=ops&password=guess-7", "Content-Type", FORM);
        assertThat(login.statusCode()).isEqualTo(429);
        assertThat(login.body()).contains("Too many failed attempts. Try again in 20 s.");
        // logout only ever looks at the session cookie
        for (int i = 0; i < 50; i++) {
            assertThat(f.post("/logout", "", "Authorization", basic(ADMIN, "guess-x" + i)).statusCode()).isEqualTo(303);
        }
        assertThat(hasher.count()).isEqualTo(3);

        assertThat(f.auditLines()).filteredOn(l -> l.contains("\"result\":\"failed\""))
                .hasSize(3).allSatisfy(l -> assertThat(l).contains("\"user\":\"admin\"", "\"detail\":\"wrong user name or password\""));
        // the first refusal of the minute is written, the other 4 and the 50 anonymous logouts are summarised
        assertThat(f.auditLines()).filteredOn(l -> l.contains("too many failed authentications")).hasSize(1);
        assertThat(f.server.audit().linesSummarised()).isEqualTo(54);
    }

    @Test
    void aLegitimateApiClientPaysOneHashAndUnknownUsersCostTheSame() throws Exception {
        f = server(Map.of(), hasher);
        for (int i = 0; i < 20; i++) {
            assertThat(f.get("/api/admin/websocket-status", "Authorization", basic(OPS, OPS_PASSWORD)).statusCode())
                    .isEqualTo(200);
        }
        assertThat(hasher.checks).containsExactly(1000);
        assertThat(f.get("/api/admin/websocket-status", "Authorization", basic("mallory", OPS_PASSWORD)).statusCode())
                .isEqualTo(401);
        assertThat(f.get("/api/admin/websocket-status", "Authorization", basic(OPS, "not-the-password")).statusCode())
                .isEqualTo(401);
        assertThat(f.get("/api/admin/websocket-status", "Authorization", basic(ADMIN, "not-the-password")).statusCode())
                .isEqualTo(401);
        // unknown user, known user, built-in admin: one check each, at the same cost
        assertThat(hasher.checks).containsExactly(1000, 1000, 1000, 1000);
    }
}
