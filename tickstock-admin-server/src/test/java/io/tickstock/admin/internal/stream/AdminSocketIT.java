package io.tickstock.admin.internal.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickstock.admin.support.ServerFixture;
import io.tickstock.admin.support.WsClient;
import io.tickstock.core.connection.ConnectionStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.tickstock.admin.support.ServerFixture.ADMIN;
import static io.tickstock.admin.support.ServerFixture.ADMIN_PASSWORD;
import static io.tickstock.admin.support.ServerFixture.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AdminSocketIT {
    private ServerFixture f;

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private WsClient client() {
        return new WsClient(f.http, "ws://127.0.0.1:" + f.server.port() + "/admin-ws",
                "Authorization", basic(ADMIN, ADMIN_PASSWORD));
    }

    @Test
    void adminGetsEverySlotsStatusOnConnectAndMetricsEveryInterval() throws Exception {
        f = new ServerFixture(Map.of("ADMIN_METRICS_INTERVAL", "200ms"));
        try (WsClient c = client()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> c.events("connection_status_update").size() >= 3);
            List<WsClient.Frame> status = c.events("connection_status_update");
            assertThat(status.subList(0, 3)).extracting(s -> s.data().get("connection_id").asText())
                    .containsExactly("connection_1", "connection_2", "connection_3");
            assertThat(status.subList(0, 3)).extracting(s -> s.data().get("status").asText())
                    .containsExactly("connected", "connected", "disabled");

            await().atMost(Duration.ofSeconds(5)).until(() -> c.events("metrics_update").size() >= 5);
            List<WsClient.Frame> metrics = c.events("metrics_update");
            JsonNode m = metrics.get(metrics.size() - 1).data();
            assertThat(m.get("connections")).hasSize(3);
            JsonNode c1 = m.get("connections").get(0);
            assertThat(c1.get("connection_id").asText()).isEqualTo("connection_1");
            assertThat(c1.has("msgs_per_sec")).isTrue();
            assertThat(c1.has("uptime")).isTrue();
            assertThat(c1.has("error_count")).isTrue();
            assertThat(c1.has("last_update")).isTrue();
            // periodic: the last four arrived about one interval apart, not in a burst
            long span = metrics.get(metrics.size() - 1).receivedAtMillis() - metrics.get(metrics.size() - 4).receivedAtMillis();
            assertThat(span).isBetween(300L, 2_000L);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> f.auditLines().stream().anyMatch(l -> l.contains("ws_disconnect")));
        assertThat(f.auditLines()).filteredOn(l -> l.contains("\"ws_")).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("\"user\":\"admin\"", "\"client\":\"127.0.0.1\""));
    }

    @Test
    void ticksArriveCoalescedWithTheirConnectionId() throws Exception {
        f = new ServerFixture();
        try (WsClient c = client()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !c.events("metrics_update").isEmpty());
            for (int i = 1; i <= 1000; i++) {
                f.gateway.tick("connection_2", "JPM", 150 + i / 100.0);
            }
            f.gateway.tick("connection_1", "AAPL", 178.23);
            await().atMost(Duration.ofSeconds(5)).until(() -> !c.ticks(t -> t.get("price").asDouble() == 160.0).isEmpty()
                    && !c.ticks(t -> t.get("symbol").asText().equals("AAPL")).isEmpty());
            JsonNode aapl = c.ticks(t -> t.get("symbol").asText().equals("AAPL")).get(0);
            assertThat(aapl.get("connection_id").asText()).isEqualTo("connection_1");
            assertThat(aapl.get("price").asDouble()).isEqualTo(178.23);
            assertThat(aapl.get("event_type").asText()).isEqualTo("T");
            List<JsonNode> jpm = c.ticks(t -> t.get("symbol").asText().equals("JPM"));
            assertThat(jpm).allSatisfy(t -> assertThat(t.get("connection_id").asText()).isEqualTo("connection_2"));
            // 1000 updates of one symbol within a few flushes reach the browser as a handful of ticks
            assertThat(jpm.size()).isLessThan(50);
        }
    }

    @Test
    void statusChangesArePushed() throws Exception {
        f = new ServerFixture();
        try (WsClient c = client()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> c.events("connection_status_update").size() >= 3);
            f.gateway.setStatus("connection_2", ConnectionStatus.ERROR, "connection dropped by server");
            await().atMost(Duration.ofSeconds(2)).until(() -> c.events("connection_status_update").stream()
                    .anyMatch(s -> s.data().get("status").asText().equals("error")));
            JsonNode e = c.events("connection_status_update").stream()
                    .filter(s -> s.data().get("status").asText().equals("error")).findFirst().orElseThrow().data();
            assertThat(e.get("connection_id").asText()).isEqualTo("connection_2");
            assertThat(e.get("previous_status").asText()).isEqualTo("connected");
            assertThat(e.get("message").asText()).isEqualTo("connection dropped by server");
            assertThat(e.get("timestamp").asText()).isNotBlank();
        }
    }

    @Test
    void pauseStopsTicksResumeRestartsThemAndMetricsCanBeRequested() throws Exception {
        f = new ServerFixture(Map.of("ADMIN_METRICS_INTERVAL", "30s"));
        try (WsClient c = client()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> c.events("metrics_update").size() >= 1);
            c.send("{\"action\":\"pause\"}");
            await().atMost(Duration.ofSeconds(2)).until(() -> c.events("stream_state").stream()
                    .anyMatch(s -> s.data().get("paused").asBoolean()));
            int before = c.events("tick_update").size();
            ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
            double[] p = {100};
            feeder.scheduleAtFixedRate(() -> f.gateway.tick("connection_1", "MSFT", p[0] += 0.01), 0, 5,
                    TimeUnit.MILLISECONDS);
            try {
                await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3))
                        .until(() -> c.events("tick_update").size() == before);
                c.send("{\"action\":\"resume\"}");
                await().atMost(Duration.ofSeconds(3)).until(() -> c.events("tick_update").size() > before);
            } finally {
                feeder.shutdownNow();
                feeder.awaitTermination(5, TimeUnit.SECONDS);
            }
            int metricsBefore = c.events("metrics_update").size();
            c.send("{\"action\":\"request_metrics\"}");
            await().atMost(Duration.ofSeconds(2)).until(() -> c.events("metrics_update").size() > metricsBefore);
            c.send("{\"action\":\"dance\"}");
            await().atMost(Duration.ofSeconds(2)).until(() -> !c.events("error").isEmpty());
            c.send("not json at all");
            await().atMost(Duration.ofSeconds(2)).until(() -> c.events("error").size() >= 2);
            // an oversized message closes only this browser's socket
            c.send("{\"action\":\"" + "x".repeat(10_000) + "\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> f.server.stream().sessionCount() == 0);
        }
    }

    @Test
    void aBrowserThatNeverReadsDoesNotDelayAHealthyOne() throws Exception {
        f = new ServerFixture(Map.of("ADMIN_WS_MAX_SYMBOLS", "5000"));
        try (Socket stuck = stuckClient(); WsClient healthy = client()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> f.server.stream().sessionCount() == 2);
            // every 50 ms all 3000 symbols change: large frames that fill the stuck socket's buffers quickly
            ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
            double[] p = {10};
            feeder.scheduleAtFixedRate(() -> {
                p[0] += 0.01;
                for (int i = 0; i < 3000; i++) {
                    f.gateway.tick("connection_1", "SYM" + i, p[0]);
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            try {
                // the stuck browser's socket buffers fill up and its rounds start being deferred
                await().atMost(Duration.ofSeconds(30)).until(() -> ((Number) f.server.stream().health()
                        .get("deferred_rounds")).longValue() > 20);
                // meanwhile a marker tick still reaches the healthy browser: it never waits for the stuck one
                long sent = System.currentTimeMillis();
                f.gateway.tick("connection_2", "MARKER", 42.5);
                await().atMost(Duration.ofSeconds(5)).until(() -> !healthy.ticks(
                        t -> t.get("symbol").asText().equals("MARKER")).isEmpty());
                JsonNode marker = healthy.ticks(t -> t.get("symbol").asText().equals("MARKER")).get(0);
                assertThat(marker.get("connection_id").asText()).isEqualTo("connection_2");
                long arrived = healthy.frames.stream().filter(fr -> fr.event().equals("tick_update")
                        && fr.data().toString().contains("MARKER")).findFirst().orElseThrow().receivedAtMillis();
                assertThat(arrived - sent).isLessThan(2_000);
                assertThat(stuck.isClosed()).isFalse(); // the stuck browser is skipped, not dropped (before 30 s)
                assertThat(f.server.stream().session(stuckSessionId()).deferredRounds()).isPositive();
            } finally {
                feeder.shutdownNow();
                feeder.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The session that has been skipped most: the one that never reads. */
    private String stuckSessionId() {
        String id = null;
        long most = -1;
        for (String candidate : sessionIds()) {
            long d = f.server.stream().session(candidate).deferredRounds();
            if (d > most) {
                most = d;
                id = candidate;
            }
        }
        return id;
    }

    private java.util.List<String> sessionIds() {
        return f.server.stream().sessionIds();
    }

    @Test
    void aClientOfferingPermessageDeflateGetsAnUncompressedSession() throws Exception {
        f = new ServerFixture();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", f.server.port()), 5000);
            s.setSoTimeout(10_000);
            // what Chrome and Firefox offer
            String head = handshake(s, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
            assertThat(head).startsWith("HTTP/1.1 101");
            assertThat(head.toLowerCase(java.util.Locale.ROOT)).doesNotContain("sec-websocket-extensions")
                    .doesNotContain("deflate");
            // the first frame (a status update): FIN + text, RSV1 clear (RSV1 marks a compressed message)
            assertThat(s.getInputStream().read()).isEqualTo(0x81);
        }
        // and the stream works as ever for such a client
        f.gateway.tick("connection_1", "AAPL", 190.5);
        try (WsClient c = client()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !c.ticks(t -> t.get("symbol").asText().equals("AAPL")).isEmpty());
        }
    }

    /** Completes the WebSocket handshake by hand, then never reads another byte. */
    private Socket stuckClient() throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", f.server.port()), 5000);
        assertThat(handshake(s, "")).startsWith("HTTP/1.1 101");
        return s;
    }

    /** Sends an upgrade request as the admin with {@code extraHeaders}; returns the response head. */
    private String handshake(Socket s, String extraHeaders) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(("GET /admin-ws HTTP/1.1\r\nHost: 127.0.0.1:" + f.server.port() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + extraHeaders
                + "Authorization: " + basic(ADMIN, ADMIN_PASSWORD) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
