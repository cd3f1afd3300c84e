package io.tickstock.examples;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.health.HealthStatus;
import io.tickstock.core.universe.UniverseResolver;
import io.tickstock.core.universe.Tickers;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.feed.massive.MassiveFeedClientFactory;
import io.tickstock.redis.RedisIntegration;
import io.tickstock.redis.RedisTickPublisher;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Three connections, each with its own tickers, one critical ticker (AAPL) carried on two of them at
 * once (de-duplicated, so one connection dropping loses nothing), and every tick published to the Redis
 * channel {@code tickstock:market:ticks}. Keys set in the environment / {@code .env} win over the layout
 * below; {@code REDIS_URL} defaults to {@code redis://127.0.0.1:6379}. Run:
 * {@code java -cp examples/target/tickstock-examples-all.jar io.tickstock.examples.RedundantRedisExample --seconds 10}
 */
public final class RedundantRedisExample {
    /** The example's layout; any of these keys set by the user wins. */
    static final Map<String, String> LAYOUT = new LinkedHashMap<>();

    static {
        LAYOUT.put("USE_MULTI_CONNECTION", "true");
        LAYOUT.put("WEBSOCKET_CONNECTION_1_ENABLED", "true");
        LAYOUT.put("WEBSOCKET_CONNECTION_1_NAME", "primary");
        LAYOUT.put("WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT,NVDA");
        LAYOUT.put("WEBSOCKET_CONNECTION_2_ENABLED", "true");
        LAYOUT.put("WEBSOCKET_CONNECTION_2_NAME", "secondary");
        LAYOUT.put("WEBSOCKET_CONNECTION_2_SYMBOLS", "AMZN,GOOGL,META");
        LAYOUT.put("WEBSOCKET_CONNECTION_3_ENABLED", "true");
        LAYOUT.put("WEBSOCKET_CONNECTION_3_NAME", "tertiary");
        LAYOUT.put("WEBSOCKET_CONNECTION_3_SYMBOLS", "JPM,XOM,KO");
        LAYOUT.put("WEBSOCKET_REDUNDANT_SYMBOLS", "AAPL");
        LAYOUT.put("REDIS_URL", "redis://127.0.0.1:6379");
    }

    static final String USAGE = CommandLine.usage(RedundantRedisExample.class, StopAfter.SYNOPSIS);

    public static void main(String[] args) throws Exception {
        CommandLine.exit(USAGE, () -> {
            StopAfter.parse(args); // a bad command line fails before the configuration is read
            run(Settings.load(), args, System.out);
        });
    }

    static void run(Settings userSettings, String[] args, PrintStream out) throws Exception {
        StopAfter stop = StopAfter.parse(args);
        Map<String, String> defaults = new LinkedHashMap<>();
        LAYOUT.forEach((k, v) -> {
            if (userSettings.get(k).isEmpty()) {
                defaults.put(k, v);
            }
        });
        Settings settings = userSettings.with(defaults);
        RedisTickPublisher publisher;
        HealthStatus last;
        try (DemoFeed feed = DemoFeed.start(settings, out);
             // publisher (bounded queue, never blocks the feed) + Redis universes, closed in the right order
             RedisIntegration redis = RedisIntegration.start(feed.settings(), feed.sourceLabel()).orElseThrow();
             MassiveFeedClientFactory clients = new MassiveFeedClientFactory(MassiveConfig.from(feed.settings()));
             MultiConnectionManager manager = MultiConnectionManager.builder(GatewayConfig.from(feed.settings()))
                     .universes(UniverseResolver.fromSettings(feed.settings(), redis.universes()))
                     .feedClients(clients)
                     .sink(redis.publisher().andThen(event -> stop.tick()))
                     .build()) {
            publisher = redis.publisher();
            manager.addHealthContributor(publisher);
            out.println("Publishing to " + redis.config().redactedUrl() + " channel " + redis.config().tickChannel()
                    + "; stopping " + stop);
            manager.connect();
            for (String ticker : manager.getRedundantTickers()) {
                out.println(ticker + " is carried by " + manager.getTickerConnections(ticker));
            }
            stop.await();
            last = manager.getHealthStatus();
            last.connections().forEach((id, c) -> out.println(id + " (" + c.name() + "): " + c.status()
                    + ", " + Tickers.count(c.assignedTickers()) + ", " + c.messageCount() + " messages"));
        }
        // The publisher is closed (flushed) now, so its counts are final.
        out.println("Ticks received " + last.totalTicksReceived() + ", delivered once each " + last.ticksDelivered()
                + ", duplicates dropped " + last.duplicatesDropped());
        out.println("Published to Redis " + publisher.published() + ", dropped " + publisher.dropped());
        if (!publisher.everConnected()) {
            out.println("Redis " + publisher.health().get("url") + " was never reached ("
                    + (publisher.lastError() == null ? "no connection within the connect timeout" : publisher.lastError())
                    + "): nothing was published. Is redis-server running there?");
        }
    }
}
