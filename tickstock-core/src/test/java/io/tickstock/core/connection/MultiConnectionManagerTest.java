package io.tickstock.core.connection;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Trade;
import io.tickstock.core.health.HealthStatus;
import io.tickstock.core.testing.InMemoryFeedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class MultiConnectionManagerTest {
    private static final String MULTI = "USE_MULTI_CONNECTION";
    private ManagerFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    private static String[] threeSlots(String... extra) {
        List<String> kv = new java.util.ArrayList<>(List.of(MULTI, "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "NVDA,AMD",
                "WEBSOCKET_CONNECTION_3_ENABLED", "true", "WEBSOCKET_CONNECTION_3_SYMBOLS", "JPM,GS",
                "WEBSOCKET_FAILOVER_DELAY", "0ms"));
        kv.addAll(List.of(extra));
        return kv.toArray(new String[0]);
    }

    @Test
    void noEnabledSlotMeansNoConnectionsAndConnectReturnsFalse() {
        f = ManagerFixture.of(MULTI, "true");
        MultiConnectionManager m = f.build();

        assertThat(m.connect()).isFalse();
        HealthStatus h = m.getHealthStatus();
        assertThat(h.totalConnections()).isZero();
        assertThat(h.connectedCount()).isZero();
        assertThat(h.totalTicksReceived()).isZero();
        assertThat(h.totalErrors()).isZero();
        assertThat(h.connections()).isEmpty();
        assertThat(m.getConnections()).hasSize(3).allSatisfy(c -> assertThat(c.enabled()).isFalse());
    }

    @Test
    void primarySlotTakesItsTickersFromTheUniverse() {
        f = ManagerFixture.of(MULTI, "true", "WEBSOCKET_CONNECTION_1_ENABLED", "true",
                "WEBSOCKET_CONNECTION_1_NAME", "primary", "WEBSOCKET_CONNECTION_1_UNIVERSE_KEY", "test:three")
                .universe("test:three", "AAPL", "NVDA", "TSLA");
        MultiConnectionManager m = f.build();

        assertThat(m.getHealthStatus().connections()).containsOnlyKeys("connection_1");
        ConnectionInfo c = m.getConnection("connection_1").orElseThrow();
        assertThat(c.name()).isEqualTo("primary");
        assertThat(c.tickers()).containsExactlyInAnyOrder("AAPL", "NVDA", "TSLA");
        assertThat(c.configSource()).isEqualTo("universe:test:three");
    }

    @Test
    void symbolsAreTrimmedUpperCasedAndEmptyItemsDropped() {
        f = ManagerFixture.of(MULTI, "true", "WEBSOCKET_CONNECTION_1_ENABLED", "true",
                "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL, nvda ,TSLA,");
        assertThat(f.build().getConnectionTickers("connection_1")).containsExactly("AAPL", "NVDA", "TSLA");
    }

    @Test
    void unknownOrEmptyUniverseFallsBackToSymbols() {
        f = ManagerFixture.of(MULTI, "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_UNIVERSE_KEY", "nope",
                "WEBSOCKET_CONNECTION_1_SYMBOLS", "IBM",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_UNIVERSE_KEY", "empty",
                "WEBSOCKET_CONNECTION_2_SYMBOLS", "KO,PEP")
                .universe("empty");
        MultiConnectionManager m = f.build();
        assertThat(m.getConnectionTickers("connection_1")).containsExactly("IBM");
        assertThat(m.getConnectionTickers("connection_2")).containsExactly("KO", "PEP");
    }

    @Test
    void connectionWithNoTickersIsListedWithZeroAndAWarning() {
        Logger log = (Logger) LoggerFactory.getLogger(MultiConnectionManager.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try {
            f = ManagerFixture.of(MULTI, "true", "WEBSOCKET_CONNECTION_1_ENABLED", "true",
                    "WEBSOCKET_CONNECTION_1_UNIVERSE_KEY", "nope");
            MultiConnectionManager m = f.build();
            assertThat(m.getHealthStatus().connections()).containsOnlyKeys("connection_1");
            assertThat(m.getHealthStatus().connections().get("connection_1").assignedTickers()).isZero();
            assertThat(appender.list).anySatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("connection_1").contains("has no tickers");
            });
        } finally {
            log.detachAppender(appender);
        }
    }

    @Test
    void twoSlotsWithDifferentUniversesEachGetTheirOwnTickers() {
        f = ManagerFixture.of(MULTI, "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_UNIVERSE_KEY", "tech",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_UNIVERSE_KEY", "banks")
                .universe("tech", "AAPL", "MSFT").universe("banks", "JPM", "BAC", "WFC");
        MultiConnectionManager m = f.build();
        assertThat(m.getHealthStatus().totalConnections()).isEqualTo(2);
        assertThat(m.getConnectionTickers("connection_1")).containsExactly("AAPL", "MSFT");
        assertThat(m.getConnectionTickers("connection_2")).containsExactly("BAC", "JPM", "WFC");
        assertThat(m.getTickerAssignment("JPM")).contains("connection_2");
        assertThat(m.getTickerAssignment("ZZZ")).isEmpty();
    }

    @Test
    void oneFailingClientDoesNotStopTheOthers() {
        f = ManagerFixture.of(MULTI, "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "JPM",
                "WEBSOCKET_FAILOVER_ENABLED", "false");
        f.feed.failConnect("connection_2", "auth_failed: bad key");
        MultiConnectionManager m = f.build();

        assertThat(m.connect()).isTrue();

        ConnectionInfo one = m.getConnection("connection_1").orElseThrow();
        assertThat(one.status()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(f.feed.client("connection_1").subscriptions()).containsExactlyInAnyOrder("AAPL", "MSFT");
        ConnectionInfo two = m.getConnection("connection_2").orElseThrow();
        assertThat(two.status()).isEqualTo(ConnectionStatus.ERROR);
        assertThat(two.lastError()).isEqualTo("auth_failed: bad key");
        assertThat(two.errorCount()).isEqualTo(1);
        HealthStatus h = m.getHealthStatus();
        assertThat(h.connectedCount()).isEqualTo(1);
        assertThat(h.totalErrors()).isEqualTo(1);
    }

    @Test
    void everyEventReachesTheCallbackOnceWithItsConnectionId() {
        f = ManagerFixture.of(threeSlots());
        MultiConnectionManager m = f.build();
        m.connect();

        for (int i = 0; i < 10; i++) {
            f.feed.trade("AAPL", 100 + i);
            f.feed.trade("NVDA", 200 + i);
            f.feed.trade("JPM", 300 + i);
        }
        f.feed.trade("MSFT", 400);

        assertThat(f.delivered).hasSize(31);
        Map<String, Long> bySymbolConnection = f.delivered.stream()
                .collect(Collectors.groupingBy(e -> e.symbol() + "@" + e.connectionId(), Collectors.counting()));
        assertThat(bySymbolConnection).containsExactlyInAnyOrderEntriesOf(Map.of(
                "AAPL@connection_1", 10L, "MSFT@connection_1", 1L, "NVDA@connection_2", 10L, "JPM@connection_3", 10L));
        HealthStatus h = m.getHealthStatus();
        assertThat(h.connections().get("connection_1").messageCount()).isEqualTo(11);
        assertThat(h.connections().get("connection_2").messageCount()).isEqualTo(10);
        assertThat(h.connections().get("connection_3").messageCount()).isEqualTo(10);
        assertThat(h.totalTicksReceived()).isEqualTo(31);
        assertThat(h.ticksDelivered()).isEqualTo(31);
        assertThat(h.connections().get("connection_1").lastMessageTimeMillis()).isNotNull();
    }

    @Test
    void statusChangesReachTheListenerAndIllegalTransitionsAreRejected() {
        f = ManagerFixture.of(threeSlots());
        MultiConnectionManager m = f.build();
        m.connect();

        assertThat(f.changes).filteredOn(c -> c.connectionId().equals("connection_2"))
                .extracting(StatusChange::from, StatusChange::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ConnectionStatus.DISCONNECTED, ConnectionStatus.CONNECTING),
                        org.assertj.core.groups.Tuple.tuple(ConnectionStatus.CONNECTING, ConnectionStatus.CONNECTED));
        int before = f.changes.size();

        InMemoryFeedClient two = f.feed.client("connection_2");
        two.report(ConnectionStatus.CONNECTING, null); // connected -> connecting skips error: illegal

        assertThat(m.getConnection("connection_2").orElseThrow().status()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(f.changes).hasSize(before);
        assertThat(m.getHealthStatus().components().get("routing")).containsEntry("rejected_status_transitions", 1L);

        two.drop("socket closed");
        assertThat(f.changes).last().satisfies(c -> {
            assertThat(c.connectionId()).isEqualTo("connection_2");
            assertThat(c.from()).isEqualTo(ConnectionStatus.CONNECTED);
            assertThat(c.to()).isEqualTo(ConnectionStatus.ERROR);
            assertThat(c.message()).isEqualTo("socket closed");
        });
    }

    @Test
    void manualSubscribeGoesToTheNamedConnectionElseTheLeastLoaded() {
        f = ManagerFixture.of(threeSlots("WEBSOCKET_CONNECTION_3_SYMBOLS", "JPM"));
        MultiConnectionManager m = f.build();
        m.connect();

        assertThat(m.subscribe(List.of("ibm"), "connection_2")).containsExactlyEntriesOf(Map.of("IBM", "connection_2"));
        assertThat(f.feed.client("connection_2").subscriptions()).contains("IBM");
        // connection_3 carries one ticker, the others two or three
        assertThat(m.subscribe(List.of("KO"))).containsExactlyEntriesOf(Map.of("KO", "connection_3"));
        assertThat(m.getTickerAssignment("KO")).contains("connection_3");
        assertThatThrownBy(() -> m.subscribe(List.of("X"), "connection_9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connection_9");
    }

    @Test
    void roundRobinCyclesThroughTheSlots() {
        f = ManagerFixture.of(threeSlots("WEBSOCKET_ROUTING_STRATEGY", "round_robin"));
        MultiConnectionManager m = f.build();
        m.connect();

        Map<String, String> placed = m.subscribe(List.of("A1", "A2", "A3", "A4"));
        assertThat(placed).containsExactlyEntriesOf(ManagerFixture.ordered(
                "A1", "connection_1", "A2", "connection_2", "A3", "connection_3", "A4", "connection_1"));
    }

    @Test
    void hashIsStableAcrossManagerInstances() {
        List<String> tickers = List.of("AAPL1", "BRK.B", "COST", "DIS", "EBAY", "F", "GE", "HD", "INTC", "KO");
        f = ManagerFixture.of(threeSlots("WEBSOCKET_ROUTING_STRATEGY", "hash",
                "WEBSOCKET_CONNECTION_1_SYMBOLS", "", "WEBSOCKET_CONNECTION_2_SYMBOLS", "",
                "WEBSOCKET_CONNECTION_3_SYMBOLS", ""));
        Map<String, String> first = f.build().subscribe(tickers);
        try (ManagerFixture other = ManagerFixture.of(threeSlots("WEBSOCKET_ROUTING_STRATEGY", "hash",
                "WEBSOCKET_CONNECTION_1_SYMBOLS", "", "WEBSOCKET_CONNECTION_2_SYMBOLS", "",
                "WEBSOCKET_CONNECTION_3_SYMBOLS", ""))) {
            MultiConnectionManager second = other.build();
            second.subscribe(List.of("ZZZ", "YYY")); // different history must not matter
            assertThat(second.subscribe(tickers)).isEqualTo(first);
        }
        assertThat(Set.copyOf(first.values())).hasSizeGreaterThan(1); // it does spread
    }

    @Test
    void loadBalancedPicksTheConnectionWithTheLowestMeasuredRate() {
        long[] now = {0};
        f = ManagerFixture.of(threeSlots("WEBSOCKET_ROUTING_STRATEGY", "load_balanced",
                "WEBSOCKET_CONNECTION_3_SYMBOLS", "JPM,GS,MS,C,WFC"));
        MultiConnectionManager m = MultiConnectionManager.builder(
                        io.tickstock.core.config.GatewayConfig.from(io.tickstock.core.config.Settings.of(f.settings)))
                .feedClients(f.feed).nanoClock(() -> now[0]).build();
        f.manager = m;
        m.connect();
        m.sampleRates();
        for (int i = 0; i < 50; i++) {
            f.feed.trade("AAPL", 1);
            f.feed.trade("NVDA", 1);
        }
        f.feed.trade("JPM", 1);
        now[0] += 1_000_000_000L;
        m.sampleRates();

        // connection_3 has the most tickers but the lowest rate
        assertThat(m.subscribe(List.of("KO"))).containsEntry("KO", "connection_3");
        assertThat(m.getConnection("connection_1").orElseThrow().messagesPerSecond()).isEqualTo(50.0);
    }

    @Test
    void unsubscribeRemovesTheTickerFromItsConnectionAndTheAssignment() {
        f = ManagerFixture.of(threeSlots());
        MultiConnectionManager m = f.build();
        m.connect();

        m.unsubscribe(List.of("msft"));

        assertThat(m.getTickerAssignment("MSFT")).isEmpty();
        assertThat(m.getConnectionTickers("connection_1")).containsExactly("AAPL");
        assertThat(f.feed.client("connection_1").subscriptions()).containsExactly("AAPL");
        assertThat(f.feed.client("connection_1").calls()).contains("unsubscribe MSFT");
    }

    @Test
    void redundantTickerIsDeliveredOnceAndSurvivesLossOfEitherConnection() {
        f = ManagerFixture.of(threeSlots("WEBSOCKET_REDUNDANT_SYMBOLS", "AAPL", "WEBSOCKET_FAILOVER_ENABLED", "false"));
        MultiConnectionManager m = f.build();
        m.connect();
        List<String> carriers = m.getTickerConnections("AAPL");
        assertThat(carriers).hasSize(2).startsWith("connection_1");

        for (int i = 0; i < 5; i++) {
            assertThat(f.feed.trade("AAPL", 100 + i)).isEqualTo(2);
        }
        f.feed.client(carriers.get(0)).drop("lost");
        for (int i = 0; i < 5; i++) {
            assertThat(f.feed.trade("AAPL", 105 + i)).isEqualTo(1);
        }
        f.feed.client(carriers.get(0)).restore();
        f.feed.client(carriers.get(1)).drop("lost");
        for (int i = 0; i < 5; i++) {
            assertThat(f.feed.trade("AAPL", 110 + i)).isEqualTo(1);
        }

        assertThat(f.delivered).extracting(MarketEvent::sequence)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
        assertThat(m.getHealthStatus().duplicatesDropped()).isEqualTo(5);
    }

    @Test
    void aRedundantTickersEventsReachTheSinksInTheOrderTheyWereAcceptedWhicheverThreadDeliversThem()
            throws Exception {
        f = ManagerFixture.of(threeSlots("WEBSOCKET_REDUNDANT_SYMBOLS", "AAPL", "WEBSOCKET_FAILOVER_ENABLED", "false"));
        MultiConnectionManager m = f.build();
        m.connect();
        List<String> carriers = m.getTickerConnections("AAPL");
        InMemoryFeedClient first = f.feed.client(carriers.get(0));
        InMemoryFeedClient second = f.feed.client(carriers.get(1));
        List<Long> stored = new CopyOnWriteArrayList<>(); // read without a lock by the poll
        CountDownLatch firstInSink = new CountDownLatch(1);
        AtomicReference<Thread> secondThread = new AtomicReference<>();
        // a sink that keeps the latest value: it stores event 1 only once the second thread has either
        // stored event 2 (what happened before: the latest value ended on the older event) or waits for
        // the ticker's de-duplication lock
        m.addSink(e -> {
            if (e.sequence() == 1) {
                firstInSink.countDown();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> stored.contains(2L) || waitsForWindows(secondThread.get()));
            }
            stored.add(e.sequence());
        });

        Thread a = new Thread(() -> first.emit(trade(first.connectionId(), 1)), "io-thread-a");
        a.start();
        assertThat(firstInSink.await(10, TimeUnit.SECONDS)).isTrue();
        Thread b = new Thread(() -> {
            second.emit(trade(second.connectionId(), 1)); // the copy of event 1: dropped
            second.emit(trade(second.connectionId(), 2));
        }, "io-thread-b");
        secondThread.set(b);
        b.start();
        a.join(10_000);
        b.join(10_000);

        assertThat(stored).containsExactly(1L, 2L);
        assertThat(m.getHealthStatus().duplicatesDropped()).isEqualTo(1);
    }

    private static boolean waitsForWindows(Thread t) {
        if (t == null || t.getState() != Thread.State.BLOCKED) {
            return false;
        }
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(t.getId());
        return info != null && info.getLockName() != null && info.getLockName().contains("SymbolWindows");
    }

    private static Trade trade(String connectionId, long sequence) {
        return new Trade(connectionId, "AAPL", 4, Long.toString(sequence), 100 + sequence, 100,
                List.of(), 1_767_366_000_000L + sequence, sequence, 3, 1_767_366_000_000L + sequence);
    }

    @Test
    void aMoveBetweenConnectionsNeitherLosesNorDoublesAnEvent() {
        f = ManagerFixture.of(threeSlots()).manualTime();
        MultiConnectionManager m = f.build();
        m.connect();
        InMemoryFeedClient target = f.feed.client("connection_3");
        target.holdAcks(true); // a slow server: the overlap lasts until the ack

        f.feed.trade("AAPL", 1);
        var move = m.moveTickers(List.of("AAPL"), "connection_3");
        f.feed.trade("AAPL", 2); // arrives on both: one copy dropped
        assertThat(move).isNotDone();
        assertThat(m.getTickerConnections("AAPL")).containsExactly("connection_1", "connection_3");
        target.holdAcks(false);
        f.time.runPending(); // the acknowledgement continues on the control thread
        assertThat(move).isDone();
        f.feed.trade("AAPL", 3);

        assertThat(m.getTickerConnections("AAPL")).containsExactly("connection_3");
        assertThat(f.feed.client("connection_1").subscriptions()).doesNotContain("AAPL");
        assertThat(f.delivered).extracting(MarketEvent::sequence).containsExactly(1L, 2L, 3L);
        assertThat(f.delivered).extracting(MarketEvent::connectionId).last().isEqualTo("connection_3");
    }

    @Test
    void aMoveAcknowledgedOnAnIoThreadFinishesOnlyOnTheControlThread() throws Exception {
        f = ManagerFixture.of(threeSlots()).manualTime();
        MultiConnectionManager m = f.build();
        m.connect();
        f.time.runPending();
        InMemoryFeedClient target = f.feed.client("connection_3");
        target.holdAcks(true);
        var move = m.moveTickers(List.of("AAPL"), "connection_3");

        Thread io = new Thread(() -> target.holdAcks(false), "fake-io-loop"); // the ack completes on an I/O thread
        io.start();
        io.join();
        assertThat(move).isNotDone(); // the continuation waits for the control thread
        assertThat(m.getTickerConnections("AAPL")).containsExactly("connection_1", "connection_3");
        assertThat(f.feed.client("connection_1").subscriptions()).contains("AAPL");

        f.time.runPending();
        assertThat(move).isDone();
        assertThat(m.getTickerConnections("AAPL")).containsExactly("connection_3");
        assertThat(f.feed.client("connection_1").subscriptions()).doesNotContain("AAPL");
    }

    @Test
    void aMoveNotAcknowledgedWithinTheConnectTimeoutLeavesTheTickerOnBothByTheManualClock() {
        f = ManagerFixture.of(threeSlots("WEBSOCKET_CONNECT_TIMEOUT", "10s")).manualTime();
        MultiConnectionManager m = f.build();
        m.connect();
        f.time.runPending();
        f.feed.client("connection_3").holdAcks(true);
        var move = m.moveTickers(List.of("AAPL"), "connection_3");

        f.time.advance(Duration.ofMillis(9_999));
        assertThat(move).isNotDone();
        f.time.advance(Duration.ofMillis(1));
        assertThat(move).isDone();
        assertThat(m.getTickerConnections("AAPL")).containsExactly("connection_1", "connection_3"); // the old one stays primary
        assertThat(f.feed.client("connection_1").subscriptions()).contains("AAPL");
        assertThat(f.feed.client("connection_3").subscriptions()).contains("AAPL");
        assertThat(f.feed.trade("AAPL", 1)).isEqualTo(2);
        assertThat(f.deliveredFor("AAPL")).isEqualTo(1);
    }

    @Test
    void subscribeToAnotherConnectionMovesAnAssignedTicker() {
        f = ManagerFixture.of(threeSlots()).manualTime();
        MultiConnectionManager m = f.build();
        m.connect();
        assertThat(m.subscribe(List.of("AAPL"), "connection_2")).containsEntry("AAPL", "connection_2");
        f.time.runPending();
        assertThat(m.getTickerConnections("AAPL")).containsExactly("connection_2");
    }

    @Test
    void tickersOfADownConnectionFailOverAfterTheDelayAndReturnWhenItRecovers() {
        f = ManagerFixture.of(threeSlots("WEBSOCKET_FAILOVER_DELAY", "5s")).manualTime();
        MultiConnectionManager m = f.build();
        m.connect();

        f.feed.client("connection_2").drop("connection reset");
        f.time.advance(Duration.ofMillis(4_999));
        assertThat(m.getTickerConnections("NVDA")).containsExactly("connection_2"); // not yet: it may come back
        assertThat(f.feed.trade("NVDA", 0)).isZero();
        f.time.advance(Duration.ofMillis(1));
        assertThat(m.getTickerConnections("NVDA")).hasSize(2);
        assertThat(m.getTickerConnections("AMD")).hasSize(2);
        assertThat(m.getTickerAssignment("NVDA")).contains("connection_2"); // still its home
        assertThat(f.feed.trade("NVDA", 1)).isEqualTo(1);
        assertThat(f.deliveredFor("NVDA")).isEqualTo(1);

        f.feed.client("connection_2").restore();
        f.time.runPending();
        assertThat(m.getTickerConnections("NVDA")).containsExactly("connection_2");
        assertThat(m.getTickerConnections("AMD")).containsExactly("connection_2");
        assertThat(f.feed.client("connection_1").subscriptions()).containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(f.feed.client("connection_3").subscriptions()).containsExactlyInAnyOrder("JPM", "GS");
        assertThat(f.feed.trade("NVDA", 2)).isEqualTo(1);
        assertThat(f.deliveredFor("NVDA")).isEqualTo(2);
    }

    @Test
    void aConnectionBackBeforeTheFailoverDelayKeepsItsTickersAlone() {
        f = ManagerFixture.of(threeSlots("WEBSOCKET_FAILOVER_DELAY", "5s")).manualTime();
        MultiConnectionManager m = f.build();
        m.connect();

        f.feed.client("connection_2").drop("connection reset");
        f.time.advance(Duration.ofSeconds(2));
        f.feed.client("connection_2").restore();
        f.time.advance(Duration.ofSeconds(10));
        assertThat(m.getTickerConnections("NVDA")).containsExactly("connection_2");
        assertThat(f.feed.client("connection_1").calls()).doesNotContain("subscribe AMD,NVDA");
        assertThat(f.feed.client("connection_3").calls()).doesNotContain("subscribe AMD,NVDA");
    }

    @Test
    void aConnectedButSilentConnectionIsMarkedStaleAtTheHealthCheckAfterTheThreshold() {
        f = ManagerFixture.of(threeSlots("WEBSOCKET_STALE_THRESHOLD", "60s",
                "WEBSOCKET_HEALTH_CHECK_INTERVAL", "10s")).manualTime();
        MultiConnectionManager m = f.build();
        m.connect();

        f.time.advance(Duration.ofSeconds(30));
        f.feed.trade("AAPL", 1); // connection_1 speaks at 30 s; the others stay silent
        f.time.advance(Duration.ofSeconds(30)); // health check at 60 s: silent for 60 s, not over it
        assertThat(m.getHealthStatus().connections().get("connection_2").stale()).isFalse();
        f.time.advance(Duration.ofSeconds(10)); // 70 s
        assertThat(m.getHealthStatus().connections().get("connection_2").stale()).isTrue();
        assertThat(m.getHealthStatus().connections().get("connection_1").stale()).isFalse();
        f.time.advance(Duration.ofSeconds(30)); // 100 s: connection_1 silent for 70 s
        assertThat(m.getHealthStatus().connections().get("connection_1").stale()).isTrue();
        f.feed.trade("AAPL", 2);
        f.time.advance(Duration.ofSeconds(10));
        assertThat(m.getHealthStatus().connections().get("connection_1").stale()).isFalse();
    }

    @Test
    void autoRebalanceMovesABusyTickerToTheQuietConnectionAtTheHealthCheck() {
        f = ManagerFixture.of(MULTI, "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "JPM",
                "WEBSOCKET_AUTO_REBALANCE", "true", "WEBSOCKET_HEALTH_CHECK_INTERVAL", "10s").manualTime();
        MultiConnectionManager m = f.build();
        m.connect();
        f.time.advance(Duration.ofSeconds(10)); // first health check: the baseline counts

        for (int i = 0; i < 100; i++) {
            f.feed.trade("AAPL", 1);
            f.feed.trade("MSFT", 1);
        }
        assertThat(m.getTickerConnections("MSFT")).containsExactly("connection_1");
        f.time.advance(Duration.ofSeconds(10)); // 10 tickers/s each on connection_1, nothing on connection_2

        assertThat(m.getTickerAssignment("AAPL")).contains("connection_2");
        assertThat(m.getTickerConnections("AAPL")).containsExactly("connection_2");
        assertThat(f.feed.client("connection_1").subscriptions()).containsExactly("MSFT");
        assertThat(f.feed.client("connection_2").subscriptions()).containsExactlyInAnyOrder("AAPL", "JPM");
    }

    @Test
    void singleModeUsesOnlyConnectionOne() {
        f = ManagerFixture.of(MULTI, "false",
                "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "MSFT");
        MultiConnectionManager m = f.build();
        assertThat(m.getHealthStatus().connections()).containsOnlyKeys("connection_1");
        assertThat(m.getConnectionTickers("connection_1")).containsExactly("AAPL");
        assertThat(m.getConnections()).extracting(ConnectionInfo::enabled).containsExactly(true, false, false);
    }

    @Test
    void singleModeFallsBackToSymbolUniverseKeyThenTheDefaultList() {
        f = ManagerFixture.of("SYMBOL_UNIVERSE_KEY", "mine").universe("mine", "KO", "PEP");
        assertThat(f.build().getConnectionTickers("connection_1")).containsExactly("KO", "PEP");
        f.close();

        f = ManagerFixture.of();
        assertThat(f.build().getConnectionTickers("connection_1"))
                .containsExactlyInAnyOrder("AAPL", "GOOGL", "MSFT", "TSLA", "AMZN", "NFLX", "META", "NVDA");
    }

    @Test
    void healthSnapshotsStayConsistentWhileThreeThreadsDeliver() throws Exception {
        f = ManagerFixture.of(threeSlots());
        MultiConnectionManager m = f.build();
        m.connect();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicBoolean run = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(3);
        for (String symbol : List.of("AAPL", "NVDA", "JPM")) {
            pool.submit(() -> {
                started.countDown();
                while (run.get()) {
                    f.feed.trade(symbol, 1);
                }
            });
        }
        started.await();
        long lastTotal = -1;
        for (int i = 0; i < 2_000; i++) {
            HealthStatus h = m.getHealthStatus();
            long sum = h.connections().values().stream().mapToLong(c -> c.messageCount()).sum();
            assertThat(sum).isEqualTo(h.totalTicksReceived());
            assertThat(h.totalTicksReceived()).isGreaterThanOrEqualTo(lastTotal);
            lastTotal = h.totalTicksReceived();
        }
        run.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(m.getHealthStatus().totalTicksReceived()).isEqualTo(f.delivered.size()).isPositive();
    }

    @Test
    void healthSerializesWithTheContractNames() {
        f = ManagerFixture.of(threeSlots());
        MultiConnectionManager m = f.build();
        m.connect();
        f.feed.trade("AAPL", 1);
        Map<String, Object> json = m.getHealthStatus().toMap();
        assertThat(json).containsKeys("total_connections", "connected_count", "total_ticks_received",
                "total_errors", "connections");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> conns = (Map<String, Map<String, Object>>) json.get("connections");
        assertThat(conns).containsOnlyKeys("connection_1", "connection_2", "connection_3");
        assertThat(conns.get("connection_1")).containsKeys("name", "status", "assigned_tickers", "message_count",
                "error_count", "last_message_time");
        assertThat(conns.get("connection_1")).containsEntry("status", "connected").containsEntry("assigned_tickers", 2)
                .containsEntry("message_count", 1L);
        assertThat(conns.get("connection_2").get("last_message_time")).isNull();
    }

    @Test
    void aFailingSinkIsCountedAndOthersStillReceive() {
        f = ManagerFixture.of(threeSlots());
        MultiConnectionManager m = f.build();
        m.addSink(e -> {
            throw new IllegalStateException("boom");
        });
        m.connect();
        f.feed.trade("AAPL", 1);
        assertThat(f.delivered).hasSize(1);
        assertThat(m.getHealthStatus().sinkErrors()).isEqualTo(1);
    }
}
