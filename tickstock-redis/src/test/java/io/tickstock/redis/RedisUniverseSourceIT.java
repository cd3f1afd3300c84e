package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.tickstock.core.config.Settings;
import io.tickstock.core.universe.UniverseResolver;
import io.tickstock.redis.testing.RedisServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisUniverseSourceIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private RedisClient client;
    private RedisCommands<String, String> redis;
    private RedisUniverseSource source;

    @BeforeEach
    void setUp() {
        client = RedisClient.create(REDIS.uri());
        redis = client.connect().sync();
        source = RedisUniverseSource.create(RedisConfig.of(REDIS.uri()));
    }

    @AfterEach
    void tearDown() {
        source.close();
        client.shutdown();
    }

    /** The chain a configured gateway uses: Redis first, then UNIVERSES_FILE (unset here), then the samples. */
    private UniverseResolver resolver() {
        return UniverseResolver.fromSettings(Settings.of(Map.of()), source);
    }

    @Test
    void universeFromASetIsSorted() {
        redis.sadd("tickstock:universe:tech_leaders:top_10", "MSFT", "AAPL", "NVDA");
        assertThat(source.load("tech_leaders:top_10")).contains(List.of("AAPL", "MSFT", "NVDA"));
    }

    @Test
    void universeFromAJsonArrayKeepsItsOrder() {
        redis.set("tickstock:universe:market_leaders:top_500", "[\"TSLA\", \" aapl \", \"MSFT\"]");
        assertThat(source.load("market_leaders:top_500")).contains(List.of("TSLA", " aapl ", "MSFT"));
    }

    @Test
    void unknownKeyFallsThroughToTheNextSource() {
        redis.sadd("tickstock:universe:other", "AAPL");
        assertThat(source.load("dow30")).isEmpty();
        UniverseResolver.Resolved fallback = resolver().resolve("dow30").orElseThrow();
        assertThat(fallback.source()).startsWith("bundled");
        assertThat(fallback.tickers()).hasSizeGreaterThan(20);

        redis.sadd("tickstock:universe:dow30", "ibm ", "AAPL", "bad ticker!");
        UniverseResolver.Resolved fromRedis = resolver().resolve("dow30").orElseThrow();
        assertThat(fromRedis.source()).isEqualTo(source.name()).startsWith("redis:");
        assertThat(fromRedis.tickers()).containsExactly("AAPL", "IBM");
    }

    @Test
    void unreadableValuesFallThroughInsteadOfFailing() {
        redis.set("tickstock:universe:bad_json", "[\"AAPL\",");
        redis.set("tickstock:universe:not_array", "{\"a\":1}");
        redis.hset("tickstock:universe:a_hash", "AAPL", "1");
        assertThat(source.load("bad_json")).isEmpty();
        assertThat(source.load("not_array")).isEmpty();
        assertThat(source.load("a_hash")).isEmpty();
    }

    @Test
    void unreachableRedisFallsThrough() {
        REDIS.server().kill();
        assertThat(source.load("dow30")).isEmpty();
        assertThat(resolver().resolve("dow30").orElseThrow().source()).startsWith("bundled");
    }

    @Test
    void afterAFailedConnectFurtherLookupsDoNotWaitAgain() throws Exception {
        // a "Redis" that accepts connections and never answers: each connect attempt costs a timeout
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             RedisUniverseSource fresh = RedisUniverseSource.create(RedisConfig.from(io.tickstock.core.config.Settings.of(
                     java.util.Map.of("REDIS_URL", "redis://127.0.0.1:" + silent.getLocalPort(),
                             "REDIS_CONNECT_TIMEOUT", "1s", "REDIS_COMMAND_TIMEOUT", "1s"))).orElseThrow())) {
            assertThat(fresh.load("dow30")).isEmpty();
            long t0 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                assertThat(fresh.load("universe_" + i)).isEmpty();
            }
            // ten lookups, none of them a new connect attempt (each would cost a second)
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofMillis(900));
        }
    }
}
