package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.tickstock.core.universe.UniverseSource;
import io.tickstock.redis.testing.RedisServerExtension;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Files as the next source in the chain, the way the core resolver asks sources in order. */
    private static final UniverseSource NEXT = new UniverseSource() {
        @Override
        public String name() {
            return "next";
        }

        @Override
        public Optional<List<String>> load(String key) {
            return Optional.ofNullable(Map.of("dow30", List.of("FROM_NEXT")).get(key));
        }
    };

    private static Optional<List<String>> chain(String key, UniverseSource... sources) {
        for (UniverseSource s : sources) {
            Optional<List<String>> hit = s.load(key);
            if (hit.isPresent()) {
                return hit;
            }
        }
        return Optional.empty();
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
        assertThat(chain("dow30", source, NEXT)).contains(List.of("FROM_NEXT"));
        redis.sadd("tickstock:universe:dow30", "IBM");
        assertThat(chain("dow30", source, NEXT)).contains(List.of("IBM"));
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
        assertThat(chain("dow30", source, NEXT)).contains(List.of("FROM_NEXT"));
    }
}
