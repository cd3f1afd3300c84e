package io.tickstock.feed.massive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tickstock.core.config.Settings;
import io.tickstock.emulator.FaultSwitches;
import io.tickstock.emulator.MassiveEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the feed says reaches logs and statuses escaped and capped; URL credentials never do. */
class FeedTextIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private MassiveEmulator emulator;
    private MassiveFeedClientFactory factory;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @AfterEach
    void stop() {
        root.detachAppender(logs);
        if (factory != null) {
            factory.close();
        }
        if (emulator != null) {
            emulator.stop();
        }
    }

    private String logged() {
        StringBuilder b = new StringBuilder();
        logs.list.forEach(e -> b.append(e.getFormattedMessage()).append('\u0000'));
        return b.toString();
    }

    @Test
    void aForgedLogLineInAStatusMessageIsEscapedAndALongOneCapped() throws Exception {
        logs.start();
        root.addAppender(logs);
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(100).build().start();
        factory = new MassiveFeedClientFactory(MassiveConfig.from(Settings.of(Map.of(
                MassiveConfig.URL, emulator.url(), MassiveConfig.API_KEY, "k", MassiveConfig.CHANNELS, "T"))));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.subscribe(List.of("AAPL"));
        client.connect().get(30, TimeUnit.SECONDS);

        emulator.faults().injectRaw(FaultSwitches.all(), "[{\"ev\":\"status\",\"status\":\"error\",\"message\":"
                + "\"bad\\n12:00:00.000 INFO  i.t.admin.AdminServer - forged\\u001b[2J" + "x".repeat(5_000) + "\"}]");
        await().atMost(PATIENCE).until(() -> listener.errors().stream().anyMatch(e -> e.startsWith("server error: bad")));
        String error = listener.errors().stream().filter(e -> e.startsWith("server error: bad")).findFirst().orElseThrow();
        assertThat(error).doesNotContain("\n", "\u001b")
                .contains("bad\\n12:00:00.000 INFO  i.t.admin.AdminServer - forged\\u001b[2J")
                .endsWith("chars)")
                .hasSizeLessThan(300);
        assertThat(client.rejections()).containsEntry("server_errors", 1L).containsEntry("rejected_tickers", 0L);
        assertThat(factory.health().get("connection_1").toString()).contains("server_errors=1");

        emulator.faults().injectRaw(FaultSwitches.all(), "[{\"ev\":\"status\",\"status\":\"max_connections\","
                + "\"message\":\"Maximum number of connections exceeded.\\r\\nINFO forged\"}]");
        await().atMost(PATIENCE).until(() -> listener.statuses().stream()
                .anyMatch(s -> String.valueOf(s.message()).contains("Maximum number of connections exceeded.")));
        assertThat(listener.statuses()).allSatisfy(s -> assertThat(String.valueOf(s.message())).doesNotContain("\n", "\r"));
        assertThat(logged()).contains("Maximum number of connections exceeded.\\r\\nINFO forged")
                .doesNotContain("\n", "\r", "\u001b");
    }

    @Test
    void urlCredentialsAreRedactedAndWsToAnotherHostIsWarnedAbout() {
        logs.start();
        root.addAppender(logs);
        MassiveConfig loopback = MassiveConfig.from(Settings.of(Map.of(MassiveConfig.URL, "ws://127.0.0.1:1/stocks")));
        assertThat(loopback.keyInClearOverNetwork()).isFalse();
        assertThat(MassiveConfig.from(Settings.of(Map.of(MassiveConfig.URL, "ws://localhost:1/stocks")))
                .keyInClearOverNetwork()).isFalse();
        assertThat(MassiveConfig.from(Settings.of(Map.of(MassiveConfig.URL, "wss://feed.example.com/stocks")))
                .keyInClearOverNetwork()).isFalse();
        MassiveConfig remote = MassiveConfig.from(Settings.of(Map.of(
                MassiveConfig.URL, "ws://user:pa55word@feed.example.com:8080/stocks")));
        assertThat(remote.keyInClearOverNetwork()).isTrue();
        assertThat(remote.redactedUrl()).isEqualTo("ws://user:****@feed.example.com:8080/stocks");
        try (MassiveFeedClientFactory f = new MassiveFeedClientFactory(remote, 1)) {
            RecordingListener listener = new RecordingListener();
            f.create("connection_1", listener).connect();
            await().atMost(PATIENCE).until(() -> !listener.statuses().isEmpty());
            assertThat(listener.statuses()).allSatisfy(s -> assertThat(String.valueOf(s.message())).doesNotContain("pa55word"));
        }
        assertThat(logged()).contains("MASSIVE_WEBSOCKET_URL is ws://user:****@feed.example.com:8080/stocks: ws:// to a "
                + "host that is not this machine sends the API key unencrypted; use wss://").doesNotContain("pa55word");
    }
}
