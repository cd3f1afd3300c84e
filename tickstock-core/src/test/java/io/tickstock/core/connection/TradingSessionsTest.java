package io.tickstock.core.connection;

import io.tickstock.core.health.HealthStatus;
import io.tickstock.core.testing.InMemoryFeedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several compressed trading days through the manager: the feed's sequence numbers restart every
 * session, and nothing may be lost or doubled because of it.
 */
class TradingSessionsTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final LocalDate MONDAY = LocalDate.of(2026, 11, 30);
    private ManagerFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    /** Pre-market open of the n-th trading day (0 = Monday), epoch ms. */
    private static long dayStart(int n) {
        return MONDAY.plusDays(n).atTime(LocalTime.of(4, 0)).atZone(NEW_YORK).toInstant().toEpochMilli();
    }

    /** Publishes trades q = from..to of the day, one millisecond apart; returns how many clients got each. */
    private int session(String symbol, int day, long from, long to) {
        int receivers = -1;
        for (long q = from; q <= to; q++) {
            int r = f.feed.trade(symbol, 100, q, dayStart(day) + q);
            assertThat(receivers == -1 || r == receivers).as("receivers stay the same within a run").isTrue();
            receivers = r;
        }
        return receivers;
    }

    private static String[] twoSlots(String... extra) {
        List<String> kv = new java.util.ArrayList<>(List.of("USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "NVDA",
                "WEBSOCKET_FAILOVER_DELAY", "0ms"));
        kv.addAll(List.of(extra));
        return kv.toArray(new String[0]);
    }

    @Test
    void aTickerOnOneConnectionLosesNothingWhenTheSequenceRestartsEachDay() {
        f = ManagerFixture.of(twoSlots());
        MultiConnectionManager m = f.build();
        m.connect();

        assertThat(session("AAPL", 0, 1, 5_000)).isEqualTo(1);
        assertThat(session("AAPL", 1, 1, 1_000)).isEqualTo(1);
        assertThat(session("AAPL", 2, 1, 300)).isEqualTo(1);
        // the feed repeating itself on one connection is passed on: only tickers carried twice are checked
        f.feed.trade("AAPL", 100, 300, dayStart(2) + 300);

        assertThat(f.deliveredFor("AAPL")).isEqualTo(6_301);
        HealthStatus h = m.getHealthStatus();
        assertThat(h.ticksDelivered()).isEqualTo(6_301);
        assertThat(h.sequence()).isEqualTo(HealthStatus.SequenceFigures.NONE);
        assertThat(h.symbolState().tracked()).isZero();
    }

    @Test
    void aRedundantTickerIsDeliveredOnceADayAcrossSequenceRestarts() {
        f = ManagerFixture.of(twoSlots("WEBSOCKET_REDUNDANT_SYMBOLS", "AAPL"));
        MultiConnectionManager m = f.build();
        m.connect();
        assertThat(m.getTickerConnections("AAPL")).containsExactly("connection_1", "connection_2");

        assertThat(session("AAPL", 0, 1, 5_000)).isEqualTo(2);
        assertThat(session("AAPL", 1, 1, 1_000)).isEqualTo(2);
        assertThat(session("AAPL", 2, 1, 300)).isEqualTo(2);

        assertThat(f.deliveredFor("AAPL")).isEqualTo(6_300);
        assertThat(m.getHealthStatus().sequence())
                .isEqualTo(new HealthStatus.SequenceFigures(6_300, 0, 0, 2));
        assertThat(m.getHealthStatus().symbolState().tracked()).isEqualTo(1);
    }

    @Test
    void aRedundantTickerLosesNothingWhenEachSessionHasAReconnect() {
        f = ManagerFixture.of(twoSlots("WEBSOCKET_REDUNDANT_SYMBOLS", "AAPL", "WEBSOCKET_FAILOVER_ENABLED", "false"));
        MultiConnectionManager m = f.build();
        m.connect();
        InMemoryFeedClient one = f.feed.client("connection_1");
        InMemoryFeedClient two = f.feed.client("connection_2");

        for (int day = 0; day < 3; day++) {
            InMemoryFeedClient dropped = day % 2 == 0 ? one : two;
            assertThat(session("AAPL", day, 1, 400)).isEqualTo(2);
            dropped.drop("connection reset");
            assertThat(session("AAPL", day, 401, 700)).isEqualTo(1);
            dropped.restore();
            assertThat(session("AAPL", day, 701, 1_000)).isEqualTo(2);
        }

        assertThat(f.deliveredFor("AAPL")).isEqualTo(3_000);
        assertThat(f.delivered).extracting(e -> e.sequence()).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 3_000).map(i -> (i - 1) % 1_000 + 1).boxed().toList());
        assertThat(m.getHealthStatus().sequence()).isEqualTo(new HealthStatus.SequenceFigures(2_100, 0, 0, 2));
    }

    @Test
    void aFailoverSpanningTheNightLosesAndDoublesNothing() {
        f = ManagerFixture.of(twoSlots()).manualTime();
        MultiConnectionManager m = f.build();
        m.connect();
        assertThat(session("NVDA", 0, 1, 2_000)).isEqualTo(1);

        f.feed.client("connection_2").drop("connection reset");
        f.time.runPending(); // WEBSOCKET_FAILOVER_DELAY=0ms
        assertThat(m.getTickerConnections("NVDA")).hasSize(2);
        assertThat(m.getHealthStatus().symbolState().tracked()).isEqualTo(1); // shared while two carry it
        assertThat(session("NVDA", 0, 2_001, 2_500)).isEqualTo(1);
        assertThat(session("NVDA", 1, 1, 100)).isEqualTo(1);

        f.feed.client("connection_2").holdAcks(true); // the overlap lasts until the server acknowledges
        f.feed.client("connection_2").restore();
        f.time.runPending(); // fail-back starts and waits for the acknowledgement
        assertThat(session("NVDA", 1, 101, 400)).isEqualTo(2);
        f.feed.client("connection_2").holdAcks(false);
        f.time.runPending(); // the acknowledgement continues on the control thread
        assertThat(m.getTickerConnections("NVDA")).containsExactly("connection_2");
        assertThat(session("NVDA", 1, 401, 500)).isEqualTo(1);

        assertThat(f.deliveredFor("NVDA")).isEqualTo(3_000);
        assertThat(m.getHealthStatus().sequence()).isEqualTo(new HealthStatus.SequenceFigures(300, 0, 0, 1));
        assertThat(m.getHealthStatus().symbolState().tracked()).isZero(); // back on one connection: forgotten
    }

    @Test
    void aMoveDuringWhichTheSequenceRestartsDeliversEveryEventOnce() {
        f = ManagerFixture.of(twoSlots()).manualTime();
        MultiConnectionManager m = f.build();
        m.connect();
        assertThat(session("MSFT", 0, 1, 3_000)).isEqualTo(1);

        f.feed.client("connection_2").holdAcks(true);
        var move = m.moveTickers(List.of("MSFT"), "connection_2");
        assertThat(session("MSFT", 0, 3_001, 3_100)).isEqualTo(2);
        assertThat(session("MSFT", 1, 1, 200)).isEqualTo(2);
        f.feed.client("connection_2").holdAcks(false);
        f.time.runPending(); // the acknowledgement continues on the control thread
        assertThat(move).isDone();
        assertThat(session("MSFT", 1, 201, 300)).isEqualTo(1);

        assertThat(f.deliveredFor("MSFT")).isEqualTo(3_400);
        assertThat(m.getTickerConnections("MSFT")).containsExactly("connection_2");
        assertThat(m.getHealthStatus().sequence()).isEqualTo(new HealthStatus.SequenceFigures(300, 0, 0, 1));
    }
}
