package io.tickstock.feed.massive;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.ConnectionInfo;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.connection.StatusChange;
import io.tickstock.core.health.HealthStatus;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.emulator.EmulatorSession;
import io.tickstock.emulator.FaultSwitches;
import io.tickstock.emulator.MassiveEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The manager over three real Massive clients against the emulator. */
class FeedManagerIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final List<String> IDS = List.of("connection_1", "connection_2", "connection_3");
    private MassiveEmulator emulator;
    private MassiveFeedClientFactory factory;
    private MultiConnectionManager manager;
    private final Map<String, LongAdder> delivered = new ConcurrentHashMap<>();
    private final List<StatusChange> changes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        if (factory != null) {
            factory.close();
        }
        if (emulator != null) {
            emulator.stop();
        }
    }

    private static List<String> tickers(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> String.format("TK%04d", i)).toList();
    }

    private void start(int perConnection, long eventsPerSecond, Map<String, String> extra) {
        Map<String, String> slots = new HashMap<>();
        for (int n = 1; n <= 3; n++) {
            slots.put("WEBSOCKET_CONNECTION_" + n + "_SYMBOLS", String.join(",", tickers((n - 1) * perConnection,
                    perConnection)));
        }
        slots.putAll(extra);
        start(MassiveEmulator.builder().apiKeys("key").eventsPerSecond(eventsPerSecond).batchSize(200)
                .maxConnectionsPerKey(3), slots);
    }

    private void start(MassiveEmulator.Builder emulatorBuilder, Map<String, String> extra) {
        emulator = emulatorBuilder.build().start();
        Map<String, String> s = new HashMap<>(extra);
        s.put("USE_MULTI_CONNECTION", "true");
        s.put("WEBSOCKET_CONNECT_TIMEOUT", "30s");
        s.putIfAbsent("WEBSOCKET_FAILOVER_DELAY", "60s");
        for (int n = 1; n <= 3; n++) {
            s.put("WEBSOCKET_CONNECTION_" + n + "_ENABLED", "true");
        }
        s.put(MassiveConfig.URL, emulator.url());
        s.put(MassiveConfig.API_KEY, "key");
        s.put(MassiveConfig.RECONNECT_DELAY, "200ms");
        s.put(MassiveConfig.RECONNECT_MAX_DELAY, "1s");
        s.put(MassiveConfig.IO_THREADS, "3"); // a thread per connection, as on a machine of three cores or more
        Settings settings = Settings.of(s);
        factory = new MassiveFeedClientFactory(MassiveConfig.from(settings));
        manager = MultiConnectionManager.builder(GatewayConfig.from(settings))
                .feedClients(factory)
                .sink(this::count)
                .statusListener(changes::add)
                .build();
        assertThat(manager.connect()).isTrue();
    }

    private void count(MarketEvent e) {
        delivered.computeIfAbsent(e.symbol(), k -> new LongAdder()).increment();
    }

    private long delivered(String ticker) {
        LongAdder a = delivered.get(ticker);
        return a == null ? 0 : a.sum();
    }

    private long received(String id) {
        return manager.getConnection(id).map(ConnectionInfo::messageCount).orElseThrow();
    }

    /**
     * Waits until every event the connections received has its outcome: delivered to this test's sink, or
     * dropped and counted. An event is counted as received before it is dispatched, and with one I/O
     * thread per connection the dispatch may still be running when the received count is complete.
     */
    private void awaitOutcomes() {
        await().atMost(PATIENCE).alias("every received event delivered or counted as dropped").until(() -> {
            HealthStatus h = manager.getHealthStatus();
            long sunk = delivered.values().stream().mapToLong(LongAdder::sum).sum();
            return sunk == h.ticksDelivered() && h.totalTicksReceived() == h.ticksDelivered() + h.duplicatesDropped()
                    + h.sequence().lateEventsDropped() + h.unsubscribedEventsDropped();
        });
    }

    /** Events of {@code ticker} sent both to the whole-market session and to slot {@code id}'s. */
    private long bothCopies(EmulatorSession whole, String id, String ticker) {
        return Math.min(whole.eventsSent(ticker), emulator.sessionFor(id).eventsSent(ticker));
    }

    private void awaitSubscribed() {
        await().atMost(PATIENCE).until(() -> IDS.stream().allMatch(id -> {
            EmulatorSession s = emulator.sessionFor(id);
            return s != null && s.subscribedTickers().equals(manager.getConnectionTickers(id));
        }));
    }

    @Test
    void threeConnectionsOfAThousandTickersReceiveExactlyWhatWasSent() {
        start(1_000, 30_000, Map.of());
        awaitSubscribed();
        assertThat(manager.getHealthStatus().connectedCount()).isEqualTo(3);
        for (String id : IDS) {
            EmulatorSession s = emulator.sessionFor(id);
            assertThat(s.subscriptions()).hasSize(1_000);
            assertThat(s.subscribedTickers()).isEqualTo(manager.getConnectionTickers(id));
        }
        await().atMost(PATIENCE).until(() -> IDS.stream().allMatch(id -> received(id) > 5_000));

        // run-time subscribe and unsubscribe reach the emulator
        manager.subscribe(List.of("IBM"), "connection_2");
        manager.unsubscribe(List.of("TK0005"));
        await().atMost(PATIENCE).until(() -> emulator.sessionFor("connection_2").subscriptions().contains("A.IBM")
                && !emulator.sessionFor("connection_1").subscriptions().contains("A.TK0005"));
        await().atMost(PATIENCE).until(() -> delivered("IBM") > 0);

        emulator.pauseStreaming();
        await().atMost(PATIENCE).until(() -> IDS.stream().allMatch(id -> received(id) == emulator.sessionFor(id)
                .eventsSent()));
        awaitOutcomes();
        for (String id : IDS) {
            assertThat(received(id)).as(id).isEqualTo(emulator.sessionFor(id).eventsSent());
            assertThat(emulator.sessionFor(id).subscribedTickers()).isEqualTo(manager.getConnectionTickers(id));
        }
        long tk5 = emulator.sessionFor("connection_1").eventsSent("TK0005");
        // what the server still sent after the unsubscribe left the manager is counted and dropped
        assertThat(delivered("TK0005") + manager.getHealthStatus().unsubscribedEventsDropped()).isEqualTo(tk5);
        assertThat(emulator.sessionFor("connection_2").eventsSent("IBM")).isEqualTo(delivered("IBM"));
        assertThat(changes).allSatisfy(c -> assertThat(c.to()).isIn(ConnectionStatus.CONNECTING,
                ConnectionStatus.CONNECTED));
        assertThat(emulator.sessionsOpened()).isEqualTo(3);
    }

    @Test
    void anAbruptDropReconnectsOneConnectionAndLosesNothingOfARedundantTicker() {
        start(200, 20_000, Map.of("WEBSOCKET_REDUNDANT_SYMBOLS", "TK0007"));
        awaitSubscribed();
        List<String> carriers = manager.getTickerConnections("TK0007");
        assertThat(carriers).hasSize(2).contains("connection_1");
        await().atMost(PATIENCE).until(() -> delivered("TK0007") > 20);

        Map<String, Long> sessionIds = IDS.stream().collect(Collectors.toMap(id -> id,
                id -> emulator.sessionFor(id).id()));
        Map<String, java.util.Set<String>> before = IDS.stream().collect(Collectors.toMap(id -> id,
                id -> emulator.sessionFor(id).subscribedTickers()));
        int changesBefore = changes.size();

        assertThat(emulator.faults().dropAbruptly(FaultSwitches.id(sessionIds.get("connection_1")))).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> {
            EmulatorSession s = emulator.sessionFor("connection_1");
            return s != null && s.id() != sessionIds.get("connection_1")
                    && s.subscribedTickers().equals(before.get("connection_1"));
        });
        await().atMost(PATIENCE).until(() -> manager.getConnection("connection_1").orElseThrow().connected());
        long afterReconnect = emulator.sessionFor("connection_1").eventsSent();
        await().atMost(PATIENCE).until(() -> emulator.sessionFor("connection_1").eventsSent() > afterReconnect + 500);
        emulator.pauseStreaming();

        // exactly the same set again; the other two never noticed
        assertThat(emulator.sessionFor("connection_1").subscribedTickers()).isEqualTo(before.get("connection_1"))
                .isEqualTo(manager.getConnectionTickers("connection_1"));
        for (String id : List.of("connection_2", "connection_3")) {
            assertThat(emulator.sessionFor(id).id()).isEqualTo(sessionIds.get(id));
            assertThat(emulator.sessionFor(id).subscribedTickers()).isEqualTo(before.get(id));
        }
        List<StatusChange> after = new ArrayList<>(changes.subList(changesBefore, changes.size()));
        assertThat(after).allSatisfy(c -> assertThat(c.connectionId()).isEqualTo("connection_1"));
        assertThat(after).extracting(StatusChange::to).containsExactly(ConnectionStatus.ERROR,
                ConnectionStatus.CONNECTING, ConnectionStatus.CONNECTED);

        // the redundant ticker: every event generated was delivered exactly once
        await().atMost(PATIENCE).until(() -> delivered("TK0007") == emulator.eventsGenerated("TK0007"));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> delivered("TK0007") == emulator.eventsGenerated("TK0007"));
        for (String id : List.of("connection_2", "connection_3")) {
            String other = id;
            await().atMost(PATIENCE).until(() -> received(other) == emulator.sessionFor(other).eventsSent());
        }
    }

    @Test
    void sequenceFaultsOnTickersCarriedOnceArePassedOnNeverDropped() {
        start(20, 5_000, Map.of(MassiveConfig.CHANNELS, "T"));
        awaitSubscribed();
        await().atMost(PATIENCE).until(() -> manager.getHealthStatus().ticksDelivered() > 500);

        // a repeated or jumping q on a ticker that only one connection carries is the feed's own
        // doing: de-duplication never drops it, and a jump is no evidence of a loss
        emulator.faults().sequenceFault(io.tickstock.emulator.SequenceFault.DUPLICATE, 5);
        await().atMost(PATIENCE).until(() -> emulator.faults().sequenceFaultsPending() == 0);
        emulator.faults().gapSize(10).sequenceFault(io.tickstock.emulator.SequenceFault.GAP, 3);
        await().atMost(PATIENCE).until(() -> emulator.faults().sequenceFaultsPending() == 0);

        emulator.pauseStreaming();
        await().atMost(PATIENCE).until(() -> IDS.stream().allMatch(id -> received(id) == emulator.sessionFor(id)
                .eventsSent()));
        awaitOutcomes();
        long sent = IDS.stream().mapToLong(id -> emulator.sessionFor(id).eventsSent()).sum();
        assertThat(manager.getHealthStatus().ticksDelivered()).isEqualTo(sent);
        assertThat(manager.getHealthStatus().sequence()).isEqualTo(HealthStatus.SequenceFigures.NONE);
        assertThat(manager.getHealthStatus().symbolState().tracked()).isZero();
    }

    @Test
    void aWholeMarketSlotDeliversEveryTickerOnceBesideNamedOnes() {
        List<String> market = tickers(0, 40);
        start(MassiveEmulator.builder().apiKeys("key").eventsPerSecond(4_000).batchSize(100).maxConnectionsPerKey(3)
                .wildcardTickers(market), Map.of(MassiveConfig.CHANNELS, "T",
                "WEBSOCKET_CONNECTION_1_SYMBOLS", "*",
                "WEBSOCKET_CONNECTION_2_SYMBOLS", "TK0003",
                "WEBSOCKET_CONNECTION_3_SYMBOLS", "TK0007,TK0011"));
        await().atMost(PATIENCE).until(() -> {
            EmulatorSession s = emulator.sessionFor("connection_3");
            return s != null && s.subscribedTickers().size() == 2 && emulator.sessionFor("connection_2") != null
                    && !emulator.sessionFor("connection_2").subscribedTickers().isEmpty();
        });
        await().atMost(PATIENCE).until(() -> delivered.keySet().containsAll(market));

        emulator.pauseStreaming();
        await().atMost(PATIENCE).until(() -> IDS.stream().allMatch(id -> received(id) == emulator.sessionFor(id)
                .eventsSent()));
        awaitOutcomes();
        for (String t : market) {
            assertThat(delivered(t)).as(t).isEqualTo(emulator.eventsGenerated(t));
        }
        ConnectionInfo star = manager.getConnection("connection_1").orElseThrow();
        assertThat(star.tickers()).containsExactly("*");
        assertThat(star.tickerCount()).isEqualTo(40);
        HealthStatus h = manager.getHealthStatus();
        EmulatorSession whole = emulator.sessionFor("connection_1");
        long named = emulator.sessionFor("connection_2").eventsSent() + emulator.sessionFor("connection_3").eventsSent();
        // a named ticker's events reach both its slot and the whole market from the later of the two
        // subscriptions on (each connection has its own I/O thread, so either may subscribe first):
        // one copy of each of those is dropped
        long both = bothCopies(whole, "connection_2", "TK0003") + bothCopies(whole, "connection_3", "TK0007")
                + bothCopies(whole, "connection_3", "TK0011");
        assertThat(both).isPositive();
        assertThat(h.duplicatesDropped() + h.sequence().lateEventsDropped()).isEqualTo(both);
        assertThat(h.ticksDelivered()).isEqualTo(whole.eventsSent() + named - both);
        assertThat(h.unsubscribedEventsDropped()).isZero();
    }
}
