package io.tickstock.examples;

import io.tickstock.core.config.Settings;
import io.tickstock.core.event.BasicTick;
import io.tickstock.core.event.EventType;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisTickPublisher;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedisTickStatsExampleIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void printsPerSymbolStatisticsOfWhatArrivesOnTheTickChannel() throws Exception {
        Output out = new Output();
        CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
            try {
                RedisTickStatsExample.run(Settings.of(Map.of("REDIS_URL", REDIS.uri())),
                        new String[] {"--ticks", "40", "--seconds", "60"}, out.stream);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().contains("Listening on redis://127.0.0.1:"));

        try (RedisTickPublisher publisher = RedisTickPublisher.start(RedisConfig.of(REDIS.uri()))) {
            await().atMost(Duration.ofSeconds(10)).until(publisher::isConnected);
            for (int i = 0; i < 30; i++) {
                publisher.offer(new BasicTick("AAPL", 100 + i, 10, 1_700_000_000_000L + i, EventType.T, "connection_1", "massive"));
            }
            for (int i = 0; i < 10; i++) {
                publisher.offer(new BasicTick("MSFT", 400.5 - i, 5, 1_700_000_000_000L + i, EventType.T, "connection_2", "massive"));
            }
        }
        consumer.get(30, java.util.concurrent.TimeUnit.SECONDS);

        List<String> lines = out.lines();
        int totals = lines.indexOf("Totals:");
        assertThat(lines.subList(totals + 1, lines.size())).containsExactly(
                "total    AAPL       30 ticks  last   129.0000  low   100.0000  high   129.0000  volume 300",
                "total    MSFT       10 ticks  last   391.5000  low   391.5000  high   400.5000  volume 50");
        // the per-second lines add up to the totals
        long perSecondAapl = lines.subList(0, totals).stream().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d AAPL .*"))
                .mapToLong(l -> Long.parseLong(l.split(" +")[2])).sum();
        assertThat(perSecondAapl).isEqualTo(30);
    }
}
