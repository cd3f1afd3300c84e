package io.tickstock.core.connection;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.testing.InMemoryFeed;
import io.tickstock.core.testing.InMemoryFeedClient;
import io.tickstock.core.testing.ManualTime;
import io.tickstock.core.universe.MapUniverseSource;
import io.tickstock.core.universe.UniverseResolver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings of run-time subscribe, unsubscribe, subscribe to a named slot, move, and
 * connections going down and up (failover, fail-back), on in-memory clients and manual time. After
 * every step and after quiescence the manager's placement must equal each client's subscription
 * set exactly, and every trade must reach the sinks once if its ticker is placed, never twice.
 */
class PlacementPropertyTest {
    private static final List<String> IDS = List.of("connection_1", "connection_2", "connection_3");
    private static final List<String> POOL = List.of("AAPL", "MSFT", "NVDA", "AMD", "JPM", "GS", "KO", "PEP",
            "XOM", "CVX", "T", "VZ");

    @Test
    void placementAndClientSubscriptionsNeverDivergeAndEveryTradeArrivesOnce() {
        for (long seed = 1; seed <= 300; seed++) {
            run(seed);
        }
    }

    private void run(long seed) {
        Random random = new Random(seed);
        ManualTime time = new ManualTime();
        InMemoryFeed feed = new InMemoryFeed();
        List<MarketEvent> delivered = new ArrayList<>();
        Map<String, String> settings = new HashMap<>(Map.of(
                "USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "NVDA,AMD",
                "WEBSOCKET_CONNECTION_3_ENABLED", "true", "WEBSOCKET_CONNECTION_3_SYMBOLS", "JPM",
                "WEBSOCKET_FAILOVER_DELAY", "2s"));
        if (random.nextBoolean()) {
            settings.put("WEBSOCKET_REDUNDANT_SYMBOLS", "GS");
        }
        MultiConnectionManager m = MultiConnectionManager.builder(GatewayConfig.from(Settings.of(settings)))
                .universes(new UniverseResolver(List.of(new MapUniverseSource("test", Map.of()))))
                .feedClients(feed)
                .resources(time.resources())
                .sink(delivered::add)
                .build();
        try {
            assertThat(m.connect()).isTrue();
            time.runPending();
            List<String> steps = new ArrayList<>();
            for (int step = 0; step < 25; step++) {
                steps.add(randomStep(random, m, feed, time));
                time.runPending();
                String context = "seed " + seed + " after " + steps;
                assertAgrees(m, feed, context);
                assertTradesArriveOnce(m, feed, delivered, List.of(POOL.get(random.nextInt(POOL.size()))), context);
            }
            // quiescence: everything back up, every timer due and every acknowledgement in
            for (String id : IDS) {
                if (feed.client(id).status() != ConnectionStatus.CONNECTED) {
                    feed.client(id).restore();
                }
            }
            time.advance(Duration.ofSeconds(60));
            String context = "seed " + seed + " at quiescence after " + steps;
            assertAgrees(m, feed, context);
            assertThat(m.getHealthStatus().components().get("routing").get("failed_over_tickers"))
                    .as(context).isEqualTo(Map.of());
            assertTradesArriveOnce(m, feed, delivered, POOL, context);
        } finally {
            m.close();
        }
    }

    private static String randomStep(Random random, MultiConnectionManager m, InMemoryFeed feed, ManualTime time) {
        String ticker = POOL.get(random.nextInt(POOL.size()));
        String id = IDS.get(random.nextInt(IDS.size()));
        switch (random.nextInt(7)) {
            case 0 -> {
                m.subscribe(List.of(ticker));
                return "subscribe " + ticker;
            }
            case 1 -> {
                m.subscribe(List.of(ticker), id);
                return "subscribe " + ticker + " on " + id;
            }
            case 2 -> {
                m.unsubscribe(List.of(ticker));
                return "unsubscribe " + ticker;
            }
            case 3 -> {
                m.moveTickers(List.of(ticker), id);
                return "move " + ticker + " to " + id;
            }
            case 4 -> {
                InMemoryFeedClient c = feed.client(id);
                if (c.status() == ConnectionStatus.CONNECTED) {
                    c.drop("lost");
                    return "drop " + id;
                }
                c.restore();
                return "restore " + id;
            }
            default -> {
                long millis = random.nextInt(4_000);
                time.advance(Duration.ofMillis(millis));
                return "wait " + millis + "ms";
            }
        }
    }

    /** The manager's tickers per connection are exactly what each client is subscribed to. */
    private static void assertAgrees(MultiConnectionManager m, InMemoryFeed feed, String context) {
        for (String id : IDS) {
            assertThat(new TreeSet<>(feed.client(id).subscriptions())).as(id + ", " + context)
                    .isEqualTo(m.getConnectionTickers(id));
        }
    }

    /** One trade per ticker: delivered once if some connected client carries it, else never. */
    private static void assertTradesArriveOnce(MultiConnectionManager m, InMemoryFeed feed, List<MarketEvent> delivered,
                                               List<String> tickers, String context) {
        for (String t : tickers) {
            int before = delivered.size();
            int receivers = feed.trade(t, 10.0);
            boolean carried = !m.getTickerConnections(t).isEmpty();
            int expected = receivers > 0 ? 1 : 0;
            assertThat(delivered.size() - before).as(t + " (" + receivers + " receivers), " + context)
                    .isEqualTo(expected);
            if (receivers > 0) {
                assertThat(carried).as(t + " received but not placed, " + context).isTrue();
            }
        }
        if (tickers.size() > 1) {
            Set<String> placed = new TreeSet<>();
            for (String t : tickers) {
                if (!m.getTickerConnections(t).isEmpty()) {
                    placed.add(t);
                }
            }
            // at quiescence every connection is up: every placed ticker arrives, nothing else does
            Set<String> arrived = new TreeSet<>();
            delivered.subList(delivered.size() - placed.size(), delivered.size()).forEach(e -> arrived.add(e.symbol()));
            assertThat(arrived).as(context).isEqualTo(placed);
        }
    }
}
