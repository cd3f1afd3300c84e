package io.tickstock.admin.replay;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tickstock.admin.GatewayApp;
import io.tickstock.core.config.Settings;
import io.tickstock.core.event.EventType;
import io.tickstock.emulator.MassiveEmulator;
import io.tickstock.emulator.ReplayMarket;
import io.tickstock.emulator.ReplayOptions;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole loop: a gateway captures what its two connections receive while publishing to Redis; an
 * emulator replays that capture to a second gateway, which publishes the very same messages.
 */
class CaptureReplayGatewayIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final String KEY = "replay-it-key";

    @TempDir
    Path dir;
    private MassiveEmulator emulator;
    private GatewayApp app;
    private RedisClient client;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (emulator != null) {
            emulator.stop();
        }
        if (client != null) {
            client.shutdown();
        }
    }

    private Map<String, String> settings(String url) {
        Map<String, String> m = new HashMap<>();
        m.put("MASSIVE_API_KEY", KEY);
        m.put("MASSIVE_WEBSOCKET_URL", url);
        m.put("MASSIVE_SUBSCRIPTION_CHANNELS", "T,Q");
        m.put("USE_MULTI_CONNECTION", "true");
        m.put("WEBSOCKET_CONNECTION_1_ENABLED", "true");
        m.put("WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT,NVDA");
        m.put("WEBSOCKET_CONNECTION_2_ENABLED", "true");
        m.put("WEBSOCKET_CONNECTION_2_SYMBOLS", "JPM,BAC");
        m.put("REDIS_URL", REDIS.uri());
        m.put("ADMIN_PORT", "0");
        m.put("ADMIN_PASSWORD", "replay-it-password");
        m.put("ADMIN_AUDIT_LOG", dir.resolve("audit.log").toString());
        return m;
    }

    private StatefulRedisPubSubConnection<String, String> sub;

    private ConcurrentLinkedQueue<String> subscribe() {
        if (sub != null) {
            sub.close(); // each run has its own list
        }
        ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        sub = client.connectPubSub();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                got.add(message);
            }
        });
        sub.sync().subscribe(RedisConfig.DEFAULT_CHANNEL);
        return got;
    }

    /** Messages per ticker and type, in channel order. */
    private static Map<String, List<String>> bySymbol(ConcurrentLinkedQueue<String> messages) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String m : messages) {
            String sym = m.replaceAll(".*\"symbol\":\"([^\"]+)\".*", "$1");
            String type = m.replaceAll(".*\"event_type\":\"([^\"]+)\".*", "$1");
            out.computeIfAbsent(type + "." + sym, k -> new ArrayList<>()).add(m);
        }
        return out;
    }

    @Test
    void replayingACaptureThroughTheGatewayPublishesTheSameMessages() throws Exception {
        client = RedisClient.create(REDIS.uri());
        Path captureDir = dir.resolve("capture");

        // 1. live: synthetic data, captured
        emulator = MassiveEmulator.builder().apiKeys(KEY).eventsPerSecond(3_000).build().start();
        ConcurrentLinkedQueue<String> live = subscribe();
        Map<String, String> s = settings(emulator.url());
        s.put("TICKSTOCK_CAPTURE_DIR", captureDir.toString());
        app = GatewayApp.start(Settings.of(s), new PrintStream(new ByteArrayOutputStream()));
        await().atMost(PATIENCE).until(() -> live.size() >= 4_000);
        emulator.pauseStreaming();
        long expected = 0;
        for (String t : List.of("AAPL", "MSFT", "NVDA", "JPM", "BAC")) {
            expected += emulator.distinctEventsSent(t, EventType.T) + emulator.distinctEventsSent(t, EventType.Q);
        }
        long total = expected;
        await().atMost(PATIENCE).until(() -> live.size() == total);
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + app.server().port() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("tickstock_capture_dropped_total 0.0").contains("tickstock_capture_frames_written_total");
        app.close(); // flushes the capture
        app = null;
        emulator.stop();

        // 2. replay of that capture, as fast as the gateway reads, once both connections have subscribed
        emulator = MassiveEmulator.builder().apiKeys(KEY)
                .replay(ReplayOptions.of(captureDir).speed(0).startAfterSessions(2)).build().start();
        ConcurrentLinkedQueue<String> replayed = subscribe();
        app = GatewayApp.start(Settings.of(settings(emulator.url())), new PrintStream(new ByteArrayOutputStream()));
        ReplayMarket source = emulator.replay().orElseThrow();
        await().atMost(PATIENCE).until(source::finished);
        await().atMost(PATIENCE).until(() -> replayed.size() >= total);

        assertThat(replayed).hasSize((int) total);
        Map<String, List<String>> before = bySymbol(live);
        Map<String, List<String>> after = bySymbol(replayed);
        assertThat(after.keySet()).isEqualTo(before.keySet()).hasSize(10);
        before.forEach((k, msgs) -> {
            List<String> again = after.get(k);
            for (int i = 0; i < Math.min(msgs.size(), again.size()); i++) {
                assertThat(again.get(i)).as("%s message %d of %d/%d", k, i, msgs.size(), again.size()).isEqualTo(msgs.get(i));
            }
            assertThat(again).as(k).hasSameSizeAs(msgs);
        });
        assertThat(source.duplicatesSkipped()).isZero();
        assertThat(source.unreadable()).isZero();
    }
}
