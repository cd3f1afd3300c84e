package io.tickstock.feed.massive;

import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Trade;
import io.tickstock.emulator.EmulatorSession;
import io.tickstock.emulator.FaultSwitches;
import io.tickstock.emulator.MarketSession;
import io.tickstock.emulator.MassiveEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The emulator's compressed trading days, per-type counts and symbol flood, through a real client. */
class EmulatorTradingDayIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final List<String> TICKERS = List.of("AAPL", "MSFT");
    private MassiveEmulator emulator;
    private MassiveFeedClientFactory factory;

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.close();
        }
        if (emulator != null) {
            emulator.stop();
        }
    }

    private static LocalDate date(MarketEvent e) {
        return Instant.ofEpochMilli(e.timestamp()).atZone(MarketSession.EASTERN).toLocalDate();
    }

    @Test
    void twoCompressedTradingDaysRestartEverySequenceAndEveryEventSentArrivesOnce() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(2_000).compressedDay(Duration.ofSeconds(4))
                .build().start();
        factory = new MassiveFeedClientFactory(MassiveConfig.defaults(emulator.url(), "k")
                .withChannels(List.of(EventType.T, EventType.Q, EventType.A, EventType.AM)));
        RecordingListener listener = new RecordingListener(1_000_000);
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.subscribe(TICKERS);
        client.connect().get(30, TimeUnit.SECONDS);
        LocalDate first = emulator.tradingDate();
        await().atMost(PATIENCE).until(() -> listener.events("AAPL") > 200 && listener.events("MSFT") > 200);

        LocalDate second = emulator.startNextTradingDay();
        assertThat(second).isAfter(first);
        await().atMost(PATIENCE).until(() -> listener.kept().stream().filter(e -> date(e).equals(second)).count() > 200);
        emulator.pauseStreaming();
        EmulatorSession session = emulator.sessionFor("connection_1");
        await().atMost(PATIENCE).until(() -> listener.events() == session.eventsSent());

        List<MarketEvent> events = new ArrayList<>(listener.kept());
        assertThat(events).hasSize((int) session.eventsSent());
        // every timestamp is market time inside a trading day, and both days came
        assertThat(events).allSatisfy(e -> assertThat(MarketSession.at(Instant.ofEpochMilli(e.timestamp())))
                .isNotEqualTo(MarketSession.CLOSED));
        assertThat(events.stream().map(EmulatorTradingDayIT::date).distinct().count()).isGreaterThanOrEqualTo(2);
        // per ticker and type: what arrived is exactly what the emulator counts as sent
        for (String ticker : TICKERS) {
            Map<EventType, Long> arrived = new EnumMap<>(EventType.class);
            events.stream().filter(e -> e.symbol().equals(ticker))
                    .forEach(e -> arrived.merge(e.eventType(), 1L, Long::sum));
            for (EventType type : List.of(EventType.T, EventType.Q, EventType.A, EventType.AM)) {
                assertThat(arrived.getOrDefault(type, 0L)).as(ticker + " " + type)
                        .isEqualTo(session.eventsSent(ticker, type))
                        .isEqualTo(emulator.distinctEventsSent(ticker, type))
                        .isEqualTo(emulator.eventsGenerated(ticker, type));
            }
            assertThat(arrived.get(EventType.T)).isPositive();
            assertThat(emulator.distinctEventsSentPerTicker().get(ticker)).isEqualTo(arrived);
            // q increases within a trading day and starts small again on the next one
            Map<LocalDate, List<Long>> q = events.stream()
                    .filter(e -> e.symbol().equals(ticker) && e instanceof Trade)
                    .collect(Collectors.groupingBy(EmulatorTradingDayIT::date, TreeMap::new,
                            Collectors.mapping(MarketEvent::sequence, Collectors.toList())));
            List<List<Long>> days = new ArrayList<>(q.values());
            for (List<Long> day : days) {
                assertThat(day).isSorted().doesNotHaveDuplicates();
            }
            List<Long> last = days.get(days.size() - 1);
            assertThat(last.get(0)).isLessThan(days.get(days.size() - 2).get(days.get(days.size() - 2).size() - 1))
                    .isLessThanOrEqualTo(104);
        }
        assertThat(emulator.tradingDaysSeen()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aSymbolFloodBringsEventsForDistinctNeverSubscribedSymbols() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(500).build().start();
        factory = new MassiveFeedClientFactory(MassiveConfig.defaults(emulator.url(), "k")
                .withChannels(List.of(EventType.T)));
        RecordingListener listener = new RecordingListener();
        MassiveFeedClient client = factory.create("connection_1", listener);
        client.subscribe(List.of("AAPL"));
        client.connect().get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> listener.events("AAPL") > 10);

        assertThat(emulator.faults().floodUnknownSymbols(FaultSwitches.all(), 20_000)).isEqualTo(1);
        assertThat(emulator.faults().floodUnknownSymbols(FaultSwitches.all(), 5_000)).isEqualTo(1);
        emulator.pauseStreaming();
        EmulatorSession session = emulator.sessionFor("connection_1");
        assertThat(session.floodEventsSent()).isEqualTo(25_000);
        assertThat(emulator.floodEventsSent()).isEqualTo(25_000);
        await().atMost(PATIENCE).until(() -> listener.events() == session.eventsSent() + 25_000);
        assertThat(session.eventsSentPerTicker().keySet()).containsExactly("AAPL");
        assertThat(listener.events("ZZ00000000")).isEqualTo(1);
        assertThat(listener.events("ZZ00000JAF")).isEqualTo(1); // 24,999 in base 36: the second flood's last
        assertThat(client.stats().malformedFrames()).isZero();
    }
}
