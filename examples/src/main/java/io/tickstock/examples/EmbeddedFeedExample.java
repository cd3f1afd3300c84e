package io.tickstock.examples;

import io.tickstock.core.bus.LocalTickBus;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.universe.UniverseResolver;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.feed.massive.MassiveFeedClientFactory;

import java.io.PrintStream;

/**
 * The core and the Massive feed embedded in a program, with one tick listener. Configuration comes
 * from the environment / {@code .env} (docs/configuration.md); with no {@code MASSIVE_API_KEY} a local
 * emulator stands in. Run:
 * {@code java -cp examples/target/tickstock-examples-all.jar io.tickstock.examples.EmbeddedFeedExample --ticks 20}
 */
public final class EmbeddedFeedExample {
    static final String USAGE = CommandLine.usage(EmbeddedFeedExample.class, StopAfter.SYNOPSIS);

    public static void main(String[] args) throws Exception {
        CommandLine.exit(USAGE, () -> {
            StopAfter.parse(args); // a bad command line fails before the configuration is read
            run(Settings.load(), args, System.out);
        });
    }

    static void run(Settings settings, String[] args, PrintStream out) throws Exception {
        StopAfter stop = StopAfter.parse(args);
        try (DemoFeed feed = DemoFeed.start(settings, out);
             MassiveFeedClientFactory clients = new MassiveFeedClientFactory(MassiveConfig.from(feed.settings()));
             LocalTickBus bus = new LocalTickBus(); // a queue + thread of its own: the listener never slows the feed
             MultiConnectionManager manager = MultiConnectionManager.builder(GatewayConfig.from(feed.settings()))
                     .universes(UniverseResolver.fromSettings(feed.settings()))
                     .feedClients(clients).sink(bus).build()) {
            bus.subscribe("printer", tick -> stop.tick(() -> out.printf("%-6s %10.4f x %-6d %s via %s%n",
                    tick.symbol(), tick.price(), tick.volume(), tick.eventType(), tick.connectionId())));
            out.println("Connecting; tickers " + manager.getConnectionTickers("connection_1") + "; stopping " + stop);
            if (!manager.connect()) {
                out.println("Not connected yet: the connection keeps retrying (see the log)");
            }
            stop.await();
            out.println("Printed " + stop.handled() + " ticks; the feed delivered "
                    + manager.getHealthStatus().ticksDelivered() + " in all (it kept running while stopping)");
        }
    }
}
