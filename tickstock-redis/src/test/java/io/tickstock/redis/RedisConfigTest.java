package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisConfigTest {
    @Test
    void absentUrlMeansNoRedis() {
        assertThat(RedisConfig.from(Settings.of(Map.of()))).isEmpty();
    }

    @Test
    void defaultsFollowTheSpec() {
        RedisConfig c = RedisConfig.of("redis://127.0.0.1:6379");
        assertThat(c.tickChannel()).isEqualTo("tickstock:market:ticks");
        assertThat(c.tickStreamName()).isEmpty();
        assertThat(c.queueCapacity()).isEqualTo(65_536);
        assertThat(c.batchSize()).isEqualTo(2048);
        assertThat(c.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.linger()).isEqualTo(Duration.ofMillis(1));
        assertThat(c.universeKeyPrefix()).isEqualTo("tickstock:universe:");
    }

    @Test
    void everyKeyIsRead() {
        RedisConfig c = RedisConfig.from(Settings.of(Map.ofEntries(
                Map.entry("REDIS_URL", "redis://h:1"),
                Map.entry("REDIS_TICK_CHANNEL", "c"),
                Map.entry("REDIS_TICK_STREAM", "s"),
                Map.entry("REDIS_TICK_STREAM_MAXLEN", "1000"),
                Map.entry("REDIS_PUBLISH_QUEUE_CAPACITY", "2048"),
                Map.entry("REDIS_PUBLISH_BATCH_SIZE", "64"),
                Map.entry("REDIS_PUBLISH_MAX_IN_FLIGHT_BATCHES", "2"),
                Map.entry("REDIS_PUBLISH_LINGER", "0"),
                Map.entry("REDIS_COMMAND_TIMEOUT", "500ms"),
                Map.entry("REDIS_REQUEST_QUEUE_SIZE", "4096"),
                Map.entry("REDIS_CONNECT_TIMEOUT", "3s"),
                Map.entry("REDIS_RECONNECT_MAX_DELAY", "5s"),
                Map.entry("REDIS_UNIVERSE_KEY_PREFIX", "u:"),
                Map.entry("REDIS_PUBLISH_MODE", "Commands"),
                Map.entry("REDIS_PUBLISH_MAX_PAUSE", "250ms"),
                Map.entry("REDIS_PUBLISH_MAX_LAG", "30s")))).orElseThrow();
        assertThat(c).isEqualTo(new RedisConfig(c.url(), "c", "s", 1000, 2048, 64, 2, Duration.ZERO, Duration.ofMillis(500), 4096,
                Duration.ofSeconds(3), Duration.ofSeconds(5), "u:", PublishMode.COMMANDS, Duration.ofMillis(250),
                Duration.ofSeconds(30)));
    }

    @Test
    void maxPauseDefaultsToOneSecondAllowsZeroAndRefusesMoreThanTenSecondsNamingTheKey() {
        assertThat(RedisConfig.of("redis://h:1").maxPause()).isEqualTo(Duration.ofSeconds(1));
        assertThat(RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h:1", "REDIS_PUBLISH_MAX_PAUSE", "0")))
                .orElseThrow().maxPause()).isZero();
        assertThatThrownBy(() -> RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h:1",
                "REDIS_PUBLISH_MAX_PAUSE", "11s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_PUBLISH_MAX_PAUSE");
        assertThatThrownBy(() -> RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h:1",
                "REDIS_PUBLISH_MAX_PAUSE", "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_PUBLISH_MAX_PAUSE");
    }

    @Test
    void maxLagDefaultsToFiveSecondsAndMustBeFromOneSecondToTenMinutesNamingTheKey() {
        assertThat(RedisConfig.of("redis://h:1").maxLag()).isEqualTo(Duration.ofSeconds(5));
        for (String bad : new String[] {"0", "500ms", "11m", "soon"}) {
            assertThatThrownBy(() -> RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h:1",
                    "REDIS_PUBLISH_MAX_LAG", bad))))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_PUBLISH_MAX_LAG");
        }
    }

    @Test
    void publishModeDefaultsToScriptAndAnUnknownOneFailsNamingTheKey() {
        assertThat(RedisConfig.of("redis://h:1").publishMode()).isEqualTo(PublishMode.SCRIPT);
        assertThatThrownBy(() -> RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h:1",
                "REDIS_PUBLISH_MODE", "lua"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REDIS_PUBLISH_MODE='lua'").hasMessageContaining("script, commands");
    }

    @Test
    void passwordNeverShowsInTextForms() {
        RedisConfig c = RedisConfig.of("redis://:hunter2secret@10.0.0.5:6380/1");
        assertThat(c.redactedUrl()).isEqualTo("redis://:****@10.0.0.5:6380/1");
        assertThat(c.toString()).doesNotContain("hunter2secret").contains("redis://:****@10.0.0.5:6380/1");
        assertThat(c.url().toString()).doesNotContain("hunter2secret");
    }

    @Test
    void badUrlFailsNamingTheKeyButNotTheValue() {
        assertThatThrownBy(() -> RedisConfig.of("http://:pw@host"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REDIS_URL").hasMessageContaining("redis://")
                .hasMessageNotContaining("pw@host");
    }

    @Test
    void theDefaultRequestQueueHoldsTheBatchesInFlightAndTheDefaultBatchFitsASmallPublishQueue() {
        assertThat(RedisConfig.of("redis://h").requestQueueSize()).isEqualTo(8_208); // (2048 + 4) x 4
        assertThat(RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h", "REDIS_TICK_STREAM", "s")))
                .orElseThrow().requestQueueSize()).isEqualTo(16_400); // (2 x 2048 + 4) x 4
        assertThat(RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h", "REDIS_PUBLISH_BATCH_SIZE", "100")))
                .orElseThrow().requestQueueSize()).isEqualTo(8_192);
        RedisConfig small = RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h",
                "REDIS_PUBLISH_QUEUE_CAPACITY", "1000"))).orElseThrow();
        assertThat(small.batchSize()).isEqualTo(1000);
        // a request queue set by hand (as the old default, 8192) caps the default batch at what it holds
        assertThat(RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h", "REDIS_REQUEST_QUEUE_SIZE", "8192")))
                .orElseThrow()).extracting(RedisConfig::batchSize, RedisConfig::requestQueueSize)
                .containsExactly(2044, 8192); // (8192 / 4 - 4)
        assertThat(RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h", "REDIS_REQUEST_QUEUE_SIZE", "16384",
                "REDIS_TICK_STREAM", "s", "REDIS_PUBLISH_MAX_IN_FLIGHT_BATCHES", "8"))).orElseThrow().batchSize())
                .isEqualTo(1022); // (16384 / 8 - 4) / 2
        assertThat(RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h", "REDIS_REQUEST_QUEUE_SIZE", "100")))
                .orElseThrow().batchSize()).isEqualTo(21);
        assertThat(RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h", "REDIS_REQUEST_QUEUE_SIZE", "65536")))
                .orElseThrow().batchSize()).isEqualTo(2048);
        assertThatThrownBy(() -> RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h",
                "REDIS_REQUEST_QUEUE_SIZE", "19")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("REDIS_REQUEST_QUEUE_SIZE='19'"); // not even batches of one fit
        // copies grow the request queue to what they need, never shrink it
        assertThat(RedisConfig.of("redis://h").withTickStream("s", 10).requestQueueSize()).isEqualTo(16_400);
        assertThat(RedisConfig.of("redis://h").withQueue(100_000, 4096).requestQueueSize()).isEqualTo(16_400);
        assertThat(RedisConfig.of("redis://h").withQueue(1000, 100).requestQueueSize()).isEqualTo(8_208);
        assertThat(RedisConfig.of("redis://h").withTickStream(" ", 10)).extracting(RedisConfig::tickStream,
                RedisConfig::requestQueueSize).containsExactly(null, 8_208);
        // beyond what the key allows, the default stops at its bound and start-up names the key
        assertThatThrownBy(() -> RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h",
                "REDIS_PUBLISH_BATCH_SIZE", "65536", "REDIS_TICK_STREAM", "s", "REDIS_PUBLISH_MAX_IN_FLIGHT_BATCHES", "64"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_REQUEST_QUEUE_SIZE='1048576'");
    }

    @Test
    void batchesThatCannotFitLettucesQueueAreRejected() {
        assertThatThrownBy(() -> RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h",
                "REDIS_PUBLISH_BATCH_SIZE", "4096", "REDIS_REQUEST_QUEUE_SIZE", "1024"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_REQUEST_QUEUE_SIZE");
        assertThatThrownBy(() -> RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h",
                "REDIS_PUBLISH_QUEUE_CAPACITY", "10", "REDIS_PUBLISH_BATCH_SIZE", "20"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_PUBLISH_BATCH_SIZE");
        assertThatThrownBy(() -> RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h",
                "REDIS_PUBLISH_LINGER", "1s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_PUBLISH_LINGER='1s'");
        assertThatThrownBy(() -> RedisConfig.from(Settings.of(Map.of("REDIS_URL", "redis://h",
                "REDIS_PUBLISH_BATCH_SIZE", "zero"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_PUBLISH_BATCH_SIZE='zero'");
    }
}
