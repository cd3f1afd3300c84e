package io.tickstock.examples;

import io.tickstock.core.config.Settings;
import io.tickstock.core.event.Trade;
import io.tickstock.redis.LastValueConfig;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisConnector;
import io.tickstock.redis.RedisTickPublisher;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LastValueConsumerExampleIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static Trade trade(String sym, double price, long q) {
        return new Trade("connection_1", sym, 4, "t" + q, price, 10, List.of(), 1_764_601_200_000L + q, q, 3,
                1_764_601_200_000L + q);
    }

    @Test
    void printsTheSnapshotThenOnlyNewerLiveTicks() throws Exception {
        try (RedisConnector connector = RedisConnector.create(RedisConfig.of(REDIS.uri()));
             RedisTickPublisher publisher = RedisTickPublisher.start(connector, LastValueConfig.defaults())) {
            await().atMost(Duration.ofSeconds(10)).until(publisher::isConnected);
            publisher.accept(trade("AAPL", 101, 1));
            publisher.accept(trade("AAPL", 102, 2));
            publisher.accept(trade("MSFT", 401, 7));
            await().atMost(Duration.ofSeconds(10)).until(() -> (long) publisher.health().get("last_value_written") >= 2);

            Output out = new Output();
            CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
                try {
                    LastValueConsumerExample.run(Settings.of(Map.of("REDIS_URL", REDIS.uri())),
                            new String[] {"AAPL,MSFT", "--ticks", "2", "--seconds", "60"}, out.stream);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> out.text().contains("now following"));
            publisher.accept(trade("AAPL", 103, 3));
            publisher.accept(trade("MSFT", 402, 8));
            consumer.get(30, TimeUnit.SECONDS);
            assertThat(out.lines()).containsSubsequence(
                    "snapshot AAPL   T    102.0000 q=2",
                    "snapshot MSFT   T    401.0000 q=7")
                    .contains("live     AAPL   T    103.0000 q=3", "live     MSFT   T    402.0000 q=8")
                    .noneMatch(l -> l.contains("q=1"));
        }
    }
}
