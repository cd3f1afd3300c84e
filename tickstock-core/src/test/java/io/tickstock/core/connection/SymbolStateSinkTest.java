package io.tickstock.core.connection;

import io.tickstock.core.bus.SymbolStateSink;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Trade;
import io.tickstock.core.lastvalue.LastValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The manager keeps each {@link SymbolStateSink}'s state beside its entry for the ticker, and asks again when told to. */
class SymbolStateSinkTest {
    private ManagerFixture f;

    /** Its state per symbol counts the ticks handed over with it; it records every question the manager asks. */
    private static final class CountingSink implements SymbolStateSink<MarketEvent, AtomicInteger> {
        final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> states = new ConcurrentHashMap<>();
        final List<String> withoutState = Collections.synchronizedList(new ArrayList<>());
        final Set<String> keepsNothingFor = ConcurrentHashMap.newKeySet();
        final Set<AtomicInteger> letGo = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

        @Override
        public AtomicInteger stateOf(MarketEvent tick) {
            asked.computeIfAbsent(tick.symbol(), s -> new AtomicInteger()).incrementAndGet();
            if (keepsNothingFor.contains(tick.symbol())) {
                return null;
            }
            return states.computeIfAbsent(tick.symbol(), s -> new AtomicInteger());
        }

        @Override
        public boolean accept(MarketEvent tick, AtomicInteger state) {
            if (letGo.contains(state)) { // as a store does with an evicted slot: take it in the current one
                states.computeIfAbsent(tick.symbol(), s -> new AtomicInteger()).incrementAndGet();
                return false;
            }
            state.incrementAndGet();
            return true;
        }

        @Override
        public void accept(MarketEvent tick) {
            withoutState.add(tick.symbol());
        }

        /** Lets go of the symbol's state, as an eviction would; the next question gets a new one. */
        void evict(String symbol) {
            letGo.add(states.remove(symbol));
        }

        int asked(String symbol) {
            AtomicInteger n = asked.get(symbol);
            return n == null ? 0 : n.get();
        }
    }

    private final CountingSink sink = new CountingSink();

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    private void start() {
        start(sink);
    }

    private void start(io.tickstock.core.bus.TickSink<? super MarketEvent> under) {
        f = ManagerFixture.of("USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_SYMBOLS", "NVDA").manualTime();
        MultiConnectionManager m = f.build();
        m.addSink(under);
        m.connect();
    }

    private void trades(String symbol, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(f.feed.trade(symbol, 1)).isEqualTo(1);
        }
    }

    @Test
    void theSinkIsAskedOncePerTickerAndGetsItsStateBackWithEveryTick() {
        start();
        trades("AAPL", 5);
        trades("MSFT", 3);
        trades("NVDA", 2);

        assertThat(sink.asked).extractingFromEntries(e -> e.getKey() + "=" + e.getValue().get())
                .containsExactlyInAnyOrder("AAPL=1", "MSFT=1", "NVDA=1");
        assertThat(sink.states).extractingFromEntries(e -> e.getKey() + "=" + e.getValue().get())
                .containsExactlyInAnyOrder("AAPL=5", "MSFT=3", "NVDA=2");
        assertThat(sink.withoutState).isEmpty();
        assertThat(f.delivered).hasSize(10); // the plain sink beside it saw every tick
    }

    @Test
    void aStateTheSinkLetGoIsAskedForAgainAndTheNextTicksGoToTheNewOne() {
        start();
        trades("AAPL", 2);
        AtomicInteger first = sink.states.get("AAPL");
        sink.evict("AAPL");
        trades("AAPL", 3);

        assertThat(sink.asked("AAPL")).isEqualTo(2); // the first trade after the eviction told the manager
        assertThat(first.get()).isEqualTo(2);
        assertThat(sink.states.get("AAPL").get()).isEqualTo(3);
    }

    @Test
    void sinksAddedWhileTicksFlowKeepTheirOwnStatesInEntriesMadeBeforeThem() {
        start();
        trades("AAPL", 2); // the entry exists, with a state for the first sink only
        CountingSink second = new CountingSink();
        CountingSink third = new CountingSink();
        f.manager.addSink(second);
        f.manager.addSink(event -> { }); // a plain sink between them
        f.manager.addSink(third);
        trades("AAPL", 3);
        trades("MSFT", 1);

        assertThat(sink.states.get("AAPL").get()).isEqualTo(5);
        assertThat(second.states.get("AAPL").get()).isEqualTo(3);
        assertThat(third.states.get("AAPL").get()).isEqualTo(3);
        assertThat(List.of(sink.asked("AAPL"), second.asked("AAPL"), third.asked("AAPL"))).containsExactly(1, 1, 1);
        assertThat(third.states.get("MSFT").get()).isEqualTo(1);
    }

    @Test
    void aSinkAddedWhileAnEventIsBeingDeliveredGetsThatEventToo() {
        List<String> late = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean added = new java.util.concurrent.atomic.AtomicBoolean();
        // stands in for a consumer that adds its sink, and takes a last-value snapshot, while an event is in flight
        start(event -> {
            if (added.compareAndSet(false, true)) {
                f.manager.addSink(e -> late.add(e.symbol() + "#" + ((Trade) e).sequence()));
            }
        });
        trades("AAPL", 2);

        assertThat(late).containsExactly("AAPL#1", "AAPL#2");
    }

    @Test
    void aWholeMarketSlotKeepsTheStatesInTheEntriesOfTheTickersItSees() {
        f = ManagerFixture.of("USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_SYMBOLS", "*").manualTime();
        MultiConnectionManager m = f.build();
        m.addSink(sink);
        m.connect();
        trades("IBM", 4);
        trades("KO", 1);

        assertThat(sink.asked).extractingFromEntries(e -> e.getKey() + "=" + e.getValue().get())
                .containsExactlyInAnyOrder("IBM=1", "KO=1");
        assertThat(sink.states.get("IBM").get()).isEqualTo(4);
    }

    @Test
    void aTickerTheSinkKeepsNothingForGoesToItsPlainAccept() {
        sink.keepsNothingFor.add("MSFT");
        start();
        trades("MSFT", 3);
        trades("AAPL", 1);

        assertThat(sink.withoutState).containsExactly("MSFT", "MSFT", "MSFT");
        assertThat(sink.asked("MSFT")).isEqualTo(3); // asked again each time: it may keep state later
        assertThat(sink.states).extractingFromEntries(e -> e.getKey() + "=" + e.getValue().get())
                .containsExactly("AAPL=1");
    }

    @Test
    void theLastValueStoreTakesTheNextTradeOfATickerItEvictedWhileTheManagerKeptItsSlot() {
        LastValueStore store = new LastValueStore(2);
        start(store);
        trades("AAPL", 1); // the quietest once the others trade
        f.time.advance(Duration.ofSeconds(1));
        trades("MSFT", 1);
        f.time.advance(Duration.ofSeconds(1));
        trades("NVDA", 1); // a third symbol: AAPL's slot is evicted, while connection_1 still keeps it
        assertThat(store.evicted()).isEqualTo(1);
        assertThat(store.get("AAPL")).isEmpty();

        f.time.advance(Duration.ofSeconds(1));
        trades("AAPL", 1);

        assertThat(store.get("AAPL")).hasValueSatisfying(v -> assertThat(v.trade()).extracting(Trade::sequence)
                .isEqualTo(f.feed.lastSequence("AAPL")));
        assertThat(store.updates()).isEqualTo(4);
    }
}
