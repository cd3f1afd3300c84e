package io.tickstock.admin.internal.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.admin.support.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final TestClock clock = new TestClock();

    private Path file() {
        return dir.resolve("audit.log");
    }

    private List<JsonNode> lines(Path p) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    @Test
    void longPathsAreClippedAndControlCharactersEscaped() throws Exception {
        String path = "/api/admin/x\n{\"forged\":true}\u2028\u0085\u007f\u001b[31m" + "a".repeat(5_000);
        try (AuditLog log = new AuditLog(file(), clock)) {
            log.record("admin", "127.0.0.1", "api", "GET " + path, "ok", "detail\r\nwith breaks");
        }
        String raw = Files.readString(file(), StandardCharsets.UTF_8);
        assertThat(raw.lines()).hasSize(1);
        assertThat(raw).doesNotContain("\u2028", "\u0085", "\u007f", "\u001b", "\r")
                .contains("\\n{\\\"forged\\\":true}\\u2028\\u0085\\u007F\\u001B[31m");
        JsonNode n = JSON.readTree(raw);
        assertThat(n.get("target").asText()).hasSize(AuditLog.MAX_TARGET + 1).endsWith("a" + AuditLog.CLIPPED)
                .startsWith("GET " + path.substring(0, 20));
        assertThat(n.get("detail").asText()).isEqualTo("detail\r\nwith breaks");
    }

    @Test
    void anonymousRejectionsAreSummarisedPerClientPerMinute() throws Exception {
        try (AuditLog log = new AuditLog(file(), clock)) {
            for (int i = 0; i < 100; i++) {
                log.record(null, "10.0.0.1", "api", "GET /api/admin/health-status", "unauthenticated", null);
                if (i < 50) {
                    log.record(null, "10.0.0.2", "login", "POST /login", "forbidden", "cross-origin request");
                }
            }
            log.record("alice", "10.0.0.3", "login", "POST /login", "rate_limited", null);
            log.record("alice", "10.0.0.3", "login", "POST /login", "rate_limited", null);
            log.record("alice", "10.0.0.3", "login", "POST /login", "failed", null);
            log.record("admin", "10.0.0.1", "api", "GET /api/admin/health-status", "ok", null);
            assertThat(lines(file())).extracting(n -> n.get("client").asText() + " " + n.get("result").asText())
                    .containsExactly("10.0.0.1 unauthenticated", "10.0.0.2 forbidden", "10.0.0.3 rate_limited",
                            "10.0.0.3 failed", "10.0.0.1 ok");
            assertThat(log.linesSummarised()).isEqualTo(99 + 49 + 1);

            log.flushSummaries();
            assertThat(lines(file())).hasSize(5); // the minute is not over yet
            clock.advance(Duration.ofSeconds(60));
            log.flushSummaries();
            List<JsonNode> all = lines(file());
            assertThat(all).hasSize(8);
            assertThat(all.subList(5, 8)).extracting(n -> n.get("client").asText() + " " + n.get("count").asLong())
                    .containsExactly("10.0.0.1 99", "10.0.0.2 49", "10.0.0.3 1");
            JsonNode s = all.get(5);
            assertThat(s.get("action").asText()).isEqualTo("rejections");
            assertThat(s.get("result").asText()).isEqualTo("summarised");
            assertThat(s.get("user").isNull()).isTrue();
            assertThat(s.get("detail").asText()).isEqualTo("repeated rejections in the minute from 2026-12-01T15:00:00Z");

            // a new minute starts afresh: the first rejection is written again
            log.record(null, "10.0.0.1", "api", "GET /api/admin/health-status", "unauthenticated", null);
            assertThat(lines(file())).hasSize(9);
        }
    }

    @Test
    void addressesBeyondTheTrackedOnesAreCountedTogether() throws Exception {
        try (AuditLog log = new AuditLog(file(), clock, AuditLog.DEFAULT_MAX_BYTES, 1, 2)) {
            for (String client : List.of("a", "b", "c", "d", "c", "a", "e")) {
                log.record(null, client, "api", "GET /x", "unauthenticated", null);
            }
            assertThat(lines(file())).extracting(n -> n.get("client").asText()).containsExactly("a", "b");
        }
        // closing writes the current minute's summaries
        assertThat(lines(file()).subList(2, 4)).extracting(n -> n.get("client").asText() + " " + n.get("count").asLong())
                .containsExactly("a 1", "* 4");
    }

    @Test
    void theFileRotatesAtItsCapKeepingTheConfiguredNumberOfOldFiles() throws Exception {
        long cap = 1_000;
        int n = 40;
        int lineBytes;
        try (AuditLog log = new AuditLog(file(), clock, cap, 2)) {
            for (int i = 0; i < n; i++) {
                log.record("admin", "127.0.0.1", "api", String.format("GET /api/%04d", i), "ok", null);
            }
            lineBytes = Files.readAllLines(file()).get(0).length() + 1;
            int perFile = (int) (cap / lineBytes);
            assertThat(log.rotations()).isEqualTo((n - 1) / perFile);
            int live = n - (int) log.rotations() * perFile;
            assertThat(Files.readAllLines(file())).hasSize(live);
            assertThat(Files.readAllLines(dir.resolve("audit.log.1"))).hasSize(perFile);
            assertThat(Files.readAllLines(dir.resolve("audit.log.2"))).hasSize(perFile);
            // the newest lines survive, in order, with none missing across the files
            List<String> kept = new ArrayList<>(Files.readAllLines(dir.resolve("audit.log.2")));
            kept.addAll(Files.readAllLines(dir.resolve("audit.log.1")));
            kept.addAll(Files.readAllLines(file()));
            for (int i = 0; i < kept.size(); i++) {
                assertThat(kept.get(i)).contains(String.format("GET /api/%04d", n - kept.size() + i));
            }
        }
        assertThat(dir.resolve("audit.log.3")).doesNotExist();
        for (String name : List.of("audit.log", "audit.log.1", "audit.log.2")) {
            assertThat(Files.size(dir.resolve(name))).isLessThanOrEqualTo(cap);
        }
    }
}
