package io.tickstock.core.connection;

import io.tickstock.core.health.HealthStatus;
import io.tickstock.core.testing.InMemoryFeedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A slot configured with {@code *}: routing, redundancy, failover and status around it. */
class WholeMarketSlotTest {
    private ManagerFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    private MultiConnectionManager starAndNamed(String... extra) {
        List<String> kv = new java.util.ArrayList<>(List.of("USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "*",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "NVDA",
                "WEBSOCKET_CONNECTION_3_ENABLED", "true", "WEBSOCKET_CONNECTION_3_SYMBOLS", "JPM",
                "WEBSOCKET_FAILOVER_DELAY", "0ms"));
        kv.addAll(List.of(extra));
        f = ManagerFixture.of(kv.toArray(new String[0])).manualTime();
        MultiConnectionManager m = f.build();
        m.connect();
        return m;
    }

    @Test
    void theSlotSubscribesEverythingAndShowsAllTickersWithTheCountSeen() {
        MultiConnectionManager m = starAndNamed();
        assertThat(f.feed.client("connection_1").calls()).containsExactly("subscribe *", "connect");

        for (String s : List.of("AAPL", "MSFT", "AAPL", "TSLA")) {
            assertThat(f.feed.trade(s, 1)).isEqualTo(1);
        }

        assertThat(f.delivered).extracting(e -> e.symbol() + "@" + e.connectionId())
                .containsExactly("AAPL@connection_1", "MSFT@connection_1", "AAPL@connection_1", "TSLA@connection_1");
        ConnectionInfo one = m.getConnection("connection_1").orElseThrow();
        assertThat(one.tickers()).containsExactly("*");
        assertThat(one.wholeMarket()).isTrue();
        assertThat(one.tickerCount()).isEqualTo(3);
        assertThat(one.configSource()).isEqualTo("symbols:*");
        HealthStatus h = m.getHealthStatus();
        assertThat(h.connections().get("connection_1").assignedTickers()).isEqualTo(3);
        assertThat(h.components().get("routing")).containsEntry("whole_market_connection", "connection_1");
        assertThat(m.getTickerAssignment("TSLA")).contains("connection_1");
        assertThat(m.getTickerAssignment("NVDA")).contains("connection_2");
        assertThat(m.getTickerConnections("NVDA")).containsExactly("connection_2", "connection_1");
        assertThat(m.getTickerAssignment("not a ticker")).isEmpty();
    }

    @Test
    void aNamedTickerBesideTheWholeMarketIsDeliveredOnce() {
        MultiConnectionManager m = starAndNamed();

        for (int i = 0; i < 10; i++) {
            assertThat(f.feed.trade("NVDA", 1)).isEqualTo(2);
        }

        assertThat(f.deliveredFor("NVDA")).isEqualTo(10);
        assertThat(m.getHealthStatus().duplicatesDropped()).isEqualTo(10);
        assertThat(m.getHealthStatus().symbolState().tracked()).isEqualTo(2 + 1); // NVDA, JPM shared; NVDA seen on the slot
    }

    @Test
    void runTimeTickersAreCoveredByTheWholeMarketUnlessAConnectionIsNamed() {
        MultiConnectionManager m = starAndNamed();

        assertThat(m.subscribe(List.of("IBM", "NVDA"))).containsExactlyEntriesOf(
                ManagerFixture.ordered("IBM", "connection_1", "NVDA", "connection_2"));
        assertThat(f.feed.client("connection_1").calls()).containsExactly("subscribe *", "connect");
        assertThat(f.feed.client("connection_2").calls()).doesNotContain("subscribe IBM");
        assertThat(m.subscribe(List.of("KO"), "connection_3")).containsExactlyEntriesOf(Map.of("KO", "connection_3"));
        assertThat(f.feed.client("connection_3").subscriptions()).containsExactlyInAnyOrder("JPM", "KO");

        assertThat(f.feed.trade("IBM", 1)).isEqualTo(1);
        assertThat(f.feed.trade("KO", 1)).isEqualTo(2);
        assertThat(f.deliveredFor("IBM")).isEqualTo(1);
        assertThat(f.deliveredFor("KO")).isEqualTo(1);
    }

    @Test
    void aTickerTheSlotHasSeenIsDeduplicatedOnceNamedAndForgottenOnceUnsubscribed() {
        MultiConnectionManager m = starAndNamed();
        assertThat(f.feed.trade("IBM", 1)).isEqualTo(1); // seen on the slot first, carried there only
        assertThat(m.getHealthStatus().symbolState().tracked()).isEqualTo(2 + 1); // NVDA, JPM shared; IBM seen

        m.subscribe(List.of("IBM"), "connection_3"); // now beside the slot: shared, the slot's entry too
        for (int i = 0; i < 5; i++) {
            assertThat(f.feed.trade("IBM", 1)).isEqualTo(2);
        }
        assertThat(f.deliveredFor("IBM")).isEqualTo(1 + 5);
        assertThat(m.getHealthStatus().duplicatesDropped()).isEqualTo(5);
        assertThat(m.getHealthStatus().symbolState().tracked()).isEqualTo(3 + 1);

        m.unsubscribe(List.of("IBM")); // on the slot only again: no window, every event delivered
        long seq = f.feed.lastSequence("IBM");
        assertThat(f.feed.trade("IBM", 1, seq, 0)).isEqualTo(1);
        assertThat(f.feed.trade("IBM", 1, seq, 0)).isEqualTo(1);
        assertThat(f.deliveredFor("IBM")).isEqualTo(1 + 5 + 2);
        assertThat(m.getHealthStatus().duplicatesDropped()).isEqualTo(5);
        assertThat(m.getHealthStatus().symbolState().tracked()).isEqualTo(2 + 1);
    }

    @Test
    void aDownNamedSlotNeedsNoFailoverWhileTheWholeMarketIsUp() {
        MultiConnectionManager m = starAndNamed();
        f.feed.client("connection_2").drop("connection reset");
        m.runHealthCheck();

        assertThat(m.getTickerConnections("NVDA")).containsExactly("connection_2", "connection_1");
        assertThat(f.feed.client("connection_3").subscriptions()).containsExactly("JPM");
        assertThat(f.feed.trade("NVDA", 1)).isEqualTo(1);
        assertThat(f.deliveredFor("NVDA")).isEqualTo(1);
    }

    @Test
    void aDownWholeMarketSlotFailsOverAsAWholeAndBackWithoutLossOrDoubles() {
        MultiConnectionManager m = starAndNamed();
        InMemoryFeedClient star = f.feed.client("connection_1");
        assertThat(f.feed.trade("AAPL", 1)).isEqualTo(1);

        star.drop("connection reset");
        f.time.runPending(); // WEBSOCKET_FAILOVER_DELAY=0ms
        assertThat(f.feed.client("connection_2").subscriptions()).contains("*");
        assertThat(f.feed.client("connection_3").subscriptions()).containsExactly("JPM");
        assertThat(m.getHealthStatus().components().get("routing"))
                .containsEntry("failed_over_tickers", Map.of("connection_1", 1));
        assertThat(f.feed.trade("AAPL", 1)).isEqualTo(1);
        assertThat(f.feed.trade("NVDA", 1)).isEqualTo(1); // once on the stand-in, named and whole market alike

        star.holdAcks(true); // the overlap lasts until the slot's subscription is acknowledged again
        star.restore();
        f.time.runPending(); // fail-back starts: it waits for the acknowledgement
        assertThat(f.feed.trade("AAPL", 1)).isEqualTo(2);
        assertThat(f.feed.trade("MSFT", 1)).isEqualTo(2);
        star.holdAcks(false);
        f.time.runPending();
        assertThat(f.feed.client("connection_2").subscriptions()).containsExactly("NVDA");
        assertThat(f.feed.client("connection_2").calls()).containsSubsequence("subscribe *", "unsubscribe *");
        assertThat(f.feed.trade("AAPL", 1)).isEqualTo(1);
        f.feed.client("connection_2").emit(new io.tickstock.core.event.Trade("connection_2", "AAPL", 4, "x", 1, 1,
                List.of(), System.currentTimeMillis(), 999, 3, 0)); // a straggler of the stand-in

        assertThat(f.deliveredFor("AAPL")).isEqualTo(4);
        assertThat(f.deliveredFor("MSFT")).isEqualTo(1);
        assertThat(f.deliveredFor("NVDA")).isEqualTo(1);
        HealthStatus h = m.getHealthStatus();
        assertThat(h.duplicatesDropped()).isEqualTo(2);
        assertThat(h.unsubscribedEventsDropped()).isEqualTo(1);
        assertThat(h.symbolState().tracked()).isEqualTo(2 + 2); // NVDA, JPM shared; AAPL, MSFT seen on the slot
        assertThat(m.getHealthStatus().components().get("routing")).containsEntry("failed_over_tickers", Map.of());
    }

    @Test
    void redundantTickersBesideTheWholeMarketGoOnOneNamedSlot() {
        f = ManagerFixture.of("USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "*",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "NVDA",
                "WEBSOCKET_REDUNDANT_SYMBOLS", "AAPL");
        MultiConnectionManager m = f.build();
        m.connect();

        assertThat(m.getRedundantTickers()).containsExactly("AAPL");
        assertThat(m.getTickerConnections("AAPL")).containsExactly("connection_2", "connection_1");
        assertThat(f.feed.trade("AAPL", 1)).isEqualTo(2);
        assertThat(f.deliveredFor("AAPL")).isEqualTo(1);
    }

    @Test
    void singleModeWithTheWholeMarket() {
        f = ManagerFixture.of("WEBSOCKET_CONNECTION_1_SYMBOLS", "*");
        MultiConnectionManager m = f.build();
        m.connect();
        assertThat(m.getConnectionTickers("connection_1")).isEmpty();
        assertThat(m.getConnection("connection_1").orElseThrow().tickers()).isEqualTo(Set.of("*"));
        assertThat(m.subscribe(List.of("AAPL"))).containsExactlyEntriesOf(Map.of("AAPL", "connection_1"));
        assertThat(f.feed.trade("ZZZ", 1)).isEqualTo(1);
        assertThat(f.deliveredFor("ZZZ")).isEqualTo(1);
        assertThat(m.getHealthStatus().symbolState().tracked()).isEqualTo(1);
    }
}
