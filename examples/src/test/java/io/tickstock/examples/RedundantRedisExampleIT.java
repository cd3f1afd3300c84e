package io.tickstock.examples;

import io.tickstock.core.config.Settings;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisTickSubscriber;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedundantRedisExampleIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void threeConnectionsCarryAaplTwiceDeliverItOnceAndPublishEveryTickToRedis() throws Exception {
        AtomicLong received = new AtomicLong();
        Map<String, String> connectionOfSymbol = new ConcurrentHashMap<>();
        Map<String, Boolean> sources = new ConcurrentHashMap<>();
        Output out = new Output();
        try (RedisTickSubscriber subscriber = RedisTickSubscriber.start(RedisConfig.of(REDIS.uri()), t -> {
            received.incrementAndGet();
            connectionOfSymbol.put(t.symbol(), t.connectionId());
            sources.put(t.source(), true);
        })) {
            await().atMost(Duration.ofSeconds(10)).until(subscriber::isConnected);

            RedundantRedisExample.run(Settings.of(Map.of("REDIS_URL", REDIS.uri())),
                    new String[] {"--ticks", "400", "--seconds", "60"}, out.stream);

            String text = out.text();
            assertThat(text).contains("AAPL is carried by [connection_1, connection_2]")
                    .contains("connection_1 (primary): connected, 3 tickers")
                    .contains("connection_2 (secondary): connected, 4 tickers")
                    .contains("connection_3 (tertiary): connected, 3 tickers");
            long duplicates = number(text, "duplicates dropped (\\d+)");
            long published = number(text, "Published to Redis (\\d+), dropped 0");
            assertThat(duplicates).isPositive();
            assertThat(published).isGreaterThanOrEqualTo(400);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == published);
            assertThat(connectionOfSymbol.get("KO")).isEqualTo("connection_3");
            assertThat(sources.keySet()).as("the emulator's synthetic ticks are labelled").containsExactly("demo");
            assertThat(connectionOfSymbol.keySet()).containsExactlyInAnyOrder(
                    "AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "JPM", "XOM", "KO");
        }
    }

    @Test
    void saysClearlyWhenRedisWasNeverReached() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // nothing listens there once closed
        }
        Output out = new Output();
        RedundantRedisExample.run(Settings.of(Map.of("REDIS_URL", "redis://:pw-never-shown@127.0.0.1:" + port,
                        "REDIS_CONNECT_TIMEOUT", "500ms", "REDIS_COMMAND_TIMEOUT", "500ms")),
                new String[] {"--ticks", "50", "--seconds", "30"}, out.stream);
        String text = out.text();
        long dropped = number(text, "Published to Redis 0, dropped (\\d+)");
        assertThat(dropped).isGreaterThanOrEqualTo(50);
        assertThat(text).contains("Redis redis://:****@127.0.0.1:" + port + " was never reached (")
                .contains("nothing was published").doesNotContain("pw-never-shown");
    }

    static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("output has /%s/:%n%s", regex, text).isTrue();
        return Long.parseLong(m.group(1));
    }
}
