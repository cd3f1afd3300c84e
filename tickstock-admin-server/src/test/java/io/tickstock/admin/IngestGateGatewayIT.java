package io.tickstock.admin;

import io.tickstock.core.config.Settings;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole gateway (demo feed at 20,000 events/s, Redis with a publish queue of 8,192 ticks) while
 * Redis is frozen for 1.5 s, nearly four queues' worth of ticks: with the gate the gateway wires
 * between the publisher and the Massive connections nothing is dropped; without a pause the same
 * freeze drops ticks (so the first test fails if the wiring is lost).
 */
class IngestGateGatewayIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final Duration FREEZE = Duration.ofMillis(1_500);

    @TempDir
    Path dir;
    private GatewayApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private GatewayApp start(String maxPause) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("REDIS_URL", REDIS.uri());
        s.put("ADMIN_PORT", "0");
        s.put("ADMIN_AUDIT_LOG", dir.resolve("audit.log").toString());
        s.put("TICKSTOCK_DEMO_EVENTS_PER_SECOND", "20000");
        s.put("REDIS_PUBLISH_QUEUE_CAPACITY", "8192");
        s.put("REDIS_PUBLISH_BATCH_SIZE", "128");
        s.put("REDIS_COMMAND_TIMEOUT", "500ms");
        s.put("REDIS_PUBLISH_MAX_PAUSE", maxPause);
        // a thread per connection (the default on six cores or more): three connections deliver at once
        s.put("MASSIVE_WEBSOCKET_IO_THREADS", "3");
        app = GatewayApp.start(Settings.of(s), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return app;
    }

    private Map<String, Object> component(String name) {
        return app.manager().getHealthStatus().components().get(name);
    }

    private long publisher(String figure) {
        return ((Number) component("redis_publisher").get(figure)).longValue();
    }

    /** Freezes Redis for {@link #FREEZE} once ticks flow, then waits until every tick offered so far has an outcome. */
    private void freezeRedisUnderLoad() throws InterruptedException {
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher("published") >= 10_000);
        REDIS.server().freeze();
        try {
            TimeUnit.MILLISECONDS.sleep(FREEZE.toMillis()); // the fault's length, not a synchronisation
        } finally {
            REDIS.server().thaw();
        }
        long offeredAfterFreeze = publisher("offered");
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher("published") + publisher("dropped") >= offeredAfterFreeze);
    }

    @Test
    void aRedisFreezeShorterThanTheMaximumPauseCostsTheGatewayNoTick() throws Exception {
        start("5s");
        freezeRedisUnderLoad();
        assertThat(publisher("dropped")).isZero();
        Map<String, Object> gate = component("ingest_gate");
        assertThat(gate).isNotNull();
        assertThat(((Number) gate.get("holds")).longValue()).isPositive();
        assertThat(gate.get("expired")).isEqualTo(0L);
        assertThat(gate.get("max_pause_ms")).isEqualTo(5_000L);
    }

    @Test
    void withoutAPauseTheSameFreezeDropsTicksAndCountsThem() throws Exception {
        start("0");
        freezeRedisUnderLoad();
        assertThat(publisher("dropped_queue_full")).isPositive();
        assertThat(component("ingest_gate")).containsEntry("holds", 0L);
    }
}
