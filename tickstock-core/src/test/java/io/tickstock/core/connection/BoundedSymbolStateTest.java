package io.tickstock.core.connection;

import io.tickstock.core.event.Trade;
import io.tickstock.core.health.HealthStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Whatever the feed sends, per-symbol state stays within its bound. */
class BoundedSymbolStateTest {
    private ManagerFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    private static Trade trade(String connectionId, String symbol, long q) {
        long now = System.currentTimeMillis();
        return new Trade(connectionId, symbol, 4, "1", 10, 1, List.of(), now, q, 3, now);
    }

    /** A distinct valid-looking ticker for every n: five letters, base 26. */
    private static String symbol(int n) {
        char[] c = new char[5];
        for (int i = 4; i >= 0; i--) {
            c[i] = (char) ('A' + n % 26);
            n /= 26;
        }
        return new String(c);
    }

    @Test
    void eventsForTickersTheConnectionDoesNotCarryAreCountedAndDropped() {
        f = ManagerFixture.of("USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "NVDA");
        MultiConnectionManager m = f.build();
        m.connect();

        f.feed.client("connection_1").emit(trade("connection_1", "AAPL", 1));
        f.feed.client("connection_1").emit(trade("connection_1", "ZZZZ", 1)); // never subscribed
        f.feed.client("connection_1").emit(trade("connection_1", "NVDA", 1)); // another connection's
        m.unsubscribe(List.of("MSFT"));
        f.feed.client("connection_1").emit(trade("connection_1", "MSFT", 1)); // a straggler after unsubscribe
        f.feed.client("connection_1").emit(trade("connection_1", null, 1)); // a client of the SPI that sends no symbol

        assertThat(f.delivered).extracting(e -> e.symbol()).containsExactly("AAPL");
        HealthStatus h = m.getHealthStatus();
        assertThat(h.unsubscribedEventsDropped()).isEqualTo(4);
        assertThat(h.totalTicksReceived()).isEqualTo(5);
        assertThat(h.toMap()).containsEntry("unsubscribed_events_dropped", 4L);
    }

    @Test
    void sharedStateIsForgottenWhenTheTickerIsUnsubscribed() {
        f = ManagerFixture.of("USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "NVDA",
                "WEBSOCKET_REDUNDANT_SYMBOLS", "AAPL,MSFT");
        MultiConnectionManager m = f.build();
        m.connect();
        f.feed.trade("AAPL", 1);
        assertThat(m.getHealthStatus().symbolState()).isEqualTo(new HealthStatus.SymbolStateFigures(2, 50_000, 0));

        m.unsubscribe(List.of("AAPL", "MSFT"));

        assertThat(m.getHealthStatus().symbolState()).isEqualTo(new HealthStatus.SymbolStateFigures(0, 50_000, 0));
    }

    @Test
    void runTimeSubscriptionsStopAtTheLimit() {
        f = ManagerFixture.of("WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL", "WEBSOCKET_SYMBOL_STATE_LIMIT", "100");
        MultiConnectionManager m = f.build();
        m.connect();
        List<String> many = java.util.stream.IntStream.range(0, 250).mapToObj(BoundedSymbolStateTest::symbol).toList();

        assertThat(m.subscribe(many)).hasSize(99);

        assertThat(m.getConnectionTickers("connection_1")).hasSize(100);
        assertThat(m.getHealthStatus().symbolState().overflow()).isEqualTo(151);
    }

    @Test
    void aFloodOfDistinctSymbolsLeavesStateAtItsBoundAndHeapFlat() {
        f = ManagerFixture.of("USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "*",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "AAPL",
                "WEBSOCKET_FAILOVER_DELAY", "0ms", "WEBSOCKET_SYMBOL_STATE_LIMIT", "1000").countOnly();
        MultiConnectionManager m = f.build();
        m.connect();
        int flood = 200_000;
        // warm up: class loading and the JIT's own allocations must not count as growth
        for (int i = 0; i < 5_000; i++) {
            f.feed.client("connection_2").emit(trade("connection_2", symbol(i), 1));
        }
        long before = usedHeapAfterGc();

        // 1. the whole-market slot sees every symbol: it counts at most the limit of them
        for (int i = 0; i < flood; i++) {
            f.feed.trade(symbol(i), 10, 1, System.currentTimeMillis());
        }
        // 2. a named slot is sent symbols it never subscribed: dropped, no state
        for (int i = 0; i < flood; i++) {
            f.feed.client("connection_2").emit(trade("connection_2", symbol(i), 2));
        }
        // 3. the whole-market slot fails over onto the named one: every symbol is de-duplicated, bounded
        f.feed.client("connection_1").drop("connection reset");
        await().atMost(Duration.ofSeconds(5)).until(() -> f.feed.client("connection_2").subscriptions().contains("*"));
        for (int i = 0; i < flood; i++) {
            f.feed.trade(symbol(i), 10, 3, System.currentTimeMillis());
        }
        long after = usedHeapAfterGc();

        HealthStatus h = m.getHealthStatus();
        assertThat(f.deliveredCount.sum()).isEqualTo(2L * flood);
        assertThat(h.unsubscribedEventsDropped()).isEqualTo(flood + 5_000);
        assertThat(h.connections().get("connection_1").assignedTickers()).isEqualTo(1_000);
        // 1,000 whole-market tickers seen + 1,000 de-duplication windows (AAPL among them)
        assertThat(h.symbolState().tracked()).isEqualTo(2_000);
        assertThat(h.symbolState().overflow()).isEqualTo(2L * (flood - 1_000) + 1);
        long growth = after - before;
        // unbounded state would keep ~200,000 windows and names (tens of MB); bounded state is well under 8 MB
        assertThat(growth).as("heap growth %d bytes", growth).isLessThan(8L << 20);
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
