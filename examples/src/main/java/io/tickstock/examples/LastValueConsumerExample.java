package io.tickstock.examples;

import io.tickstock.core.config.Settings;
import io.tickstock.redis.LastValueConfig;
import io.tickstock.redis.LastValueSubscriber;
import io.tickstock.redis.PublishedTick;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisConnector;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A consumer that starts mid-session: the last trade and quote of each ticker from the Redis
 * last-value hashes, then the live channel, with no gap and no double (see docs/capture-replay.md).
 * Run while a gateway publishes to Redis:
 * {@code REDIS_URL=redis://127.0.0.1:6379 java -cp examples/target/tickstock-examples-all.jar io.tickstock.examples.LastValueConsumerExample [AAPL,MSFT] --ticks 20}
 * (no tickers: every ticker in the hashes).
 */
public final class LastValueConsumerExample {
    static final String USAGE = CommandLine.usage(LastValueConsumerExample.class, "[TICKER,TICKER…] " + StopAfter.SYNOPSIS);

    public static void main(String[] args) throws Exception {
        CommandLine.exit(USAGE, () -> run(Settings.load(), args, System.out));
    }

    static void run(Settings userSettings, String[] args, PrintStream out) throws Exception {
        // an optional ticker list first, then only the stop options: anything else is a usage error
        boolean hasTickers = args.length > 0 && !args[0].startsWith("-");
        StopAfter stop = StopAfter.parse(hasTickers ? Arrays.copyOfRange(args, 1, args.length) : args);
        List<String> symbols = hasTickers
                ? Arrays.stream(args[0].split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList() : List.of();
        Settings settings = userSettings.get(RedisConfig.URL_KEY).isPresent() ? userSettings
                : userSettings.with(Map.of(RedisConfig.URL_KEY, "redis://127.0.0.1:6379"));
        RedisConfig config = RedisConfig.from(settings).orElseThrow();
        LastValueConfig keys = LastValueConfig.from(settings);
        try (RedisConnector connector = RedisConnector.create(config);
             LastValueSubscriber sub = LastValueSubscriber.start(connector, keys, symbols, 100_000,
                     tick -> print(out, (PublishedTick) tick, "snapshot", null),
                     tick -> print(out, (PublishedTick) tick, "live", stop))) {
            out.println("Snapshot: " + sub.snapshotSize() + " values from " + keys.key(io.tickstock.core.event.EventType.T)
                    + " and " + keys.key(io.tickstock.core.event.EventType.Q) + "; now following " + config.tickChannel()
                    + ", stopping " + stop);
            stop.await();
        }
    }

    private static void print(PrintStream out, PublishedTick t, String kind, StopAfter stop) {
        Runnable line = () -> out.printf("%-8s %-6s %-2s %10.4f q=%d%n", kind, t.symbol(), t.eventType(), t.price(),
                t.sequence());
        if (stop == null) {
            line.run();
        } else {
            stop.tick(line);
        }
    }
}
