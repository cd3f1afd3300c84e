package io.tickstock.admin.internal.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.admin.internal.auth.PasswordVerifier;
import io.tickstock.admin.support.ServerFixture;
import io.tickstock.admin.support.TestClock;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.tickstock.admin.support.ServerFixture.ADMIN;
import static io.tickstock.admin.support.ServerFixture.ADMIN_PASSWORD;
import static io.tickstock.admin.support.ServerFixture.basic;
import static org.assertj.core.api.Assertions.assertThat;

/** The audit trail of a real server under a flood of anonymous requests and with a small size cap. */
class AuditTrailIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFloodOfAnonymousRequestsWithLongPathsCostsOneLinePerMinuteAndASummary() throws Exception {
        TestClock clock = new TestClock();
        try (ServerFixture f = new ServerFixture(Map.of(), clock, PasswordVerifier.PBKDF2)) {
            String path = "/api/admin/connections/" + "x".repeat(3_000) + "/reconnect";
            for (int i = 0; i < 300; i++) {
                assertThat(f.post(path, "").statusCode()).isEqualTo(401);
            }
            List<String> lines = f.auditLines();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).length()).isLessThan(400);
            assertThat(JSON.readTree(lines.get(0)).get("target").asText())
                    .isEqualTo(("POST /api/admin/connections/" + "x".repeat(3_000)).substring(0, AuditLog.MAX_TARGET)
                            + AuditLog.CLIPPED);

            clock.advance(Duration.ofMinutes(1));
            f.server.audit().flushSummaries();
            List<String> after = f.auditLines();
            assertThat(after).hasSize(2);
            JsonNode summary = JSON.readTree(after.get(1));
            assertThat(summary.get("client").asText()).isEqualTo("127.0.0.1");
            assertThat(summary.get("count").asLong()).isEqualTo(299);
            assertThat(f.get("/metrics").body()).contains("tickstock_admin_audit_summarised_total 299.0");
        }
    }

    @Test
    void theAuditFileRotatesAtItsConfiguredSize() throws Exception {
        try (ServerFixture f = new ServerFixture(Map.of("ADMIN_AUDIT_LOG_MAX_SIZE", "4KB",
                "ADMIN_AUDIT_LOG_MAX_FILES", "2"))) {
            String auth = basic(ADMIN, ADMIN_PASSWORD);
            for (int i = 0; i < 120; i++) {
                assertThat(f.get("/api/admin/health-status", "Authorization", auth).statusCode()).isEqualTo(200);
            }
            Path live = f.dir.resolve("audit.log");
            for (Path p : List.of(live, f.dir.resolve("audit.log.1"), f.dir.resolve("audit.log.2"))) {
                assertThat(p).exists();
                assertThat(Files.size(p)).isBetween(1L, 4_096L);
            }
            assertThat(f.dir.resolve("audit.log.3")).doesNotExist();
            assertThat(f.server.audit().rotations()).isGreaterThanOrEqualTo(3);
            assertThat(f.server.audit().linesWritten()).isEqualTo(120);
        }
    }
}
