package com.example.consumer;

import io.tickstock.admin.AdminConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.redis.RedisConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Redis and admin-server modules resolve from the BOM and work from outside the TickStock build. */
class EveryModuleResolvesTest {
    @Test
    void redisAndAdminConfigurationReadFromSettings() {
        Settings settings = Settings.of(Map.of(
                "REDIS_URL", "redis://:my-password@10.0.0.5:6379/0",
                "ADMIN_PASSWORD", "a-long-passphrase"));

        RedisConfig redis = RedisConfig.from(settings).orElseThrow();
        assertEquals("redis://:****@10.0.0.5:6379/0", redis.redactedUrl());
        assertEquals("tickstock:market:ticks", redis.tickChannel());

        AdminConfig admin = AdminConfig.from(settings);
        assertEquals("127.0.0.1", admin.bind());
        assertEquals(8080, admin.port());
    }

    @Test
    void theBomKeepsOneNettyVersionOnTheClasspath() {
        // the feed and Lettuce (under the Redis module) both bring Netty; the BOM pins one line
        Set<String> versions = io.netty.util.Version.identify().values().stream()
                .map(io.netty.util.Version::artifactVersion).collect(Collectors.toSet());
        assertEquals(1, versions.size(), "Netty versions on the classpath: " + versions);
    }
}
