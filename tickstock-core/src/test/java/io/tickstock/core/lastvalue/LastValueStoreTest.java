package io.tickstock.core.lastvalue;

import io.tickstock.core.event.Aggregate;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LastValueStoreTest {

    static Trade trade(String sym, double price, long t, long q, long received) {
        return new Trade("connection_1", sym, 4, "i" + q, price, 100, List.of(), t, q, 3, received);
    }

    static Quote quote(String sym, double bid, long t, long q, long received) {
        return new Quote("connection_1", sym, 1, bid, 1, 2, bid + 0.02, 1, t, q, 3, received);
    }

    @Test
    void keepsTheLatestTradeAndQuotePerSymbol() {
        LastValueStore s = new LastValueStore(10);
        s.accept(trade("AAPL", 10, 1_000, 1, 1));
        s.accept(trade("AAPL", 11, 1_001, 2, 2));
        s.accept(quote("AAPL", 10.5, 1_001, 7, 3));
        s.accept(new Aggregate("connection_1", EventType.A, "AAPL", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1_000, 2_000, 1, false, 4));

        LastValue v = s.get("AAPL").orElseThrow();
        assertThat(v.trade().price()).isEqualTo(11);
        assertThat(v.trade().sequence()).isEqualTo(2);
        assertThat(v.quote().bidPrice()).isEqualTo(10.5);
        assertThat(s.get("MSFT")).isEmpty();
        assertThat(s.updates()).isEqualTo(3);
        assertThat(s.health()).isEqualTo(Map.of("symbols", 1, "max_symbols", 10, "updates", 3L, "stale", 0L,
                "evicted", 0L));
    }

    @Test
    void aSlotHandedOutAndThenEvictedTakesNothingAndTheEventGoesToTheSymbolsNewSlot() {
        LastValueStore s = new LastValueStore(2);
        Trade first = trade("AAPL", 10, 1_000, 1, 1);
        Object slot = s.stateOf(first);
        assertThat(s.accept(first, slot)).isTrue();
        s.accept(trade("MSFT", 1, 1_000, 1, 2));
        s.accept(trade("NVDA", 1, 1_000, 1, 3)); // evicts AAPL, the quietest, while a producer still holds its slot
        assertThat(s.evicted()).isEqualTo(1);
        assertThat(s.get("AAPL")).isEmpty();

        Trade next = trade("AAPL", 11, 1_001, 2, 4);
        assertThat(s.accept(next, slot)).isFalse(); // let go: the producer asks again

        assertThat(s.get("AAPL")).hasValueSatisfying(v -> assertThat(v.trade()).isSameAs(next));
        assertThat(s.updates()).isEqualTo(4);
        assertThat(s.stateOf(next)).isNotSameAs(slot);
        assertThat(s.stateOf(new Aggregate("connection_1", EventType.A, "AAPL", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1_000,
                2_000, 1, false, 5))).isNull(); // the store keeps nothing of other events
    }

    @Test
    void underEvictionsFromSeveralThreadsEveryTradeIsCountedOnceAndTheLatestOfEachSymbolIsKept() throws Exception {
        LastValueStore s = new LastValueStore(4);
        int perThread = 20_000;
        Object[] kept = new Object[4];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 1; i <= perThread; i++) {
                    // writer 0 keeps its slot as the manager does; writer 1 looks up; writer 2 floods new symbols
                    String sym = writer == 2 ? "N" + i : "S" + writer + "_" + (i % 2);
                    Trade t = trade(sym, i, 1_000 + i, i, i);
                    if (writer == 0) {
                        int k = i % 2;
                        if (kept[k] == null) {
                            kept[k] = s.stateOf(t);
                        }
                        if (!s.accept(t, kept[k])) {
                            kept[k] = null;
                        }
                    } else {
                        s.accept(t);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }

        assertThat(s.updates() + s.stale()).isEqualTo(3L * perThread); // every trade counted, none lost unseen
        assertThat(s.stale()).isZero(); // each symbol's trades come in order from one thread
        assertThat(s.symbols()).isLessThanOrEqualTo(4 + 3); // the cap, briefly over by racing threads at most
        for (LastValue v : s.snapshot()) {
            assertThat(v.trade()).as(v.symbol()).isNotNull();
        }
        s.accept(trade("S0_1", 1, 9_999_999, 1, 9_999_999)); // and a store that keeps taking trades afterwards
        assertThat(s.get("S0_1")).hasValueSatisfying(v -> assertThat(v.trade().timestamp()).isEqualTo(9_999_999));
    }

    @Test
    void anOlderEventArrivingLateNeverReplacesANewerOne() {
        LastValueStore s = new LastValueStore(10);
        s.accept(trade("AAPL", 11, 1_001, 5, 1));
        s.accept(trade("AAPL", 10, 1_001, 4, 2)); // same ms, lower q
        s.accept(trade("AAPL", 9, 1_000, 9, 3)); // earlier ms
        assertThat(s.get("AAPL").orElseThrow().trade().price()).isEqualTo(11);
        assertThat(s.stale()).isEqualTo(2);
    }

    @Test
    void twoConnectionsDeliveringTheSameSymbolAtOnceLeaveTheNewestAndExactCounts() throws Exception {
        LastValueStore s = new LastValueStore(10);
        int n = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> connections = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                // both carry the same stream (a redundant ticker); each event is offered twice
                for (int i = 1; i <= n; i++) {
                    s.accept(trade("AAPL", i, 1_000 + i / 10, i, i));
                    s.accept(quote("AAPL", i, 1_000 + i / 10, i, i));
                }
            });
            connections.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : connections) {
            t.join();
        }
        LastValue v = s.get("AAPL").orElseThrow();
        assertThat(v.trade().sequence()).isEqualTo(n);
        assertThat(v.quote().sequence()).isEqualTo(n);
        // each distinct event replaces the value exactly once (its twin is never after it, and a later
        // event never lets it back in): a race that let both copies through would count more
        assertThat(s.updates()).isEqualTo(2L * n);
        assertThat(s.stale()).isEqualTo(2L * n);
    }

    @Test
    void aNewSessionsSmallSequenceIsNewer() {
        LastValueStore s = new LastValueStore(10);
        s.accept(trade("AAPL", 11, 1_000, 5_000_000, 1));
        s.accept(trade("AAPL", 12, 90_000_000, 3, 2)); // next day, q restarted
        assertThat(s.get("AAPL").orElseThrow().trade().price()).isEqualTo(12);
    }

    @Test
    void whenFullTheQuietestSymbolsAreEvictedAndCounted() {
        LastValueStore s = new LastValueStore(32);
        for (int i = 0; i < 32; i++) {
            s.accept(trade("S" + i, 1, 1, 1, 100 + i)); // S0 quietest
        }
        s.accept(trade("S0", 2, 2, 2, 1_000)); // S0 is fresh again, S1 and S2 now quietest
        s.accept(trade("NEW", 1, 1, 1, 2_000));

        assertThat(s.evicted()).isEqualTo(2); // 32 / 16
        assertThat(s.symbols()).isEqualTo(31);
        assertThat(s.get("S1")).isEmpty();
        assertThat(s.get("S2")).isEmpty();
        assertThat(s.get("S0")).isPresent();
        assertThat(s.get("S3")).isPresent();
        assertThat(s.get("NEW")).isPresent();
    }

    @Test
    void aFloodOfNewSymbolsStaysWithinTheCap() {
        LastValueStore s = new LastValueStore(1_000);
        for (int i = 0; i < 200_000; i++) {
            s.accept(trade("X" + i, 1, i, 1, i));
        }
        assertThat(s.symbols()).isLessThanOrEqualTo(1_000);
        assertThat(s.evicted()).isEqualTo(200_000 - s.symbols());
        assertThat(s.get("X199999")).isPresent();
    }

    @Test
    void aCapBelowOneIsRefused() {
        assertThatThrownBy(() -> new LastValueStore(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The documented hand-over, under load: while two threads feed events, a consumer registers its sink,
     * takes the snapshot and filters; per symbol it then sees the snapshot's value followed by every later
     * event exactly once, in order.
     */
    @Test
    void snapshotThenFilteredStreamHasNoGapAndNoDouble() throws Exception {
        LastValueStore store = new LastValueStore(100);
        List<java.util.function.Consumer<MarketEvent>> laterSinks = new java.util.concurrent.CopyOnWriteArrayList<>();
        int symbols = 20;
        int perSymbol = 20_000;
        CountDownLatch started = new CountDownLatch(2);
        List<Thread> feeders = new ArrayList<>();
        for (int f = 0; f < 2; f++) {
            int first = f;
            Thread t = new Thread(() -> {
                started.countDown();
                for (int q = 1; q <= perSymbol; q++) {
                    for (int sym = first; sym < symbols; sym += 2) {
                        Trade e = trade("S" + sym, q, 1_000 + q / 7, q, q);
                        store.accept(e); // registered first, as the gateway does
                        for (var sink : laterSinks) {
                            sink.accept(e);
                        }
                    }
                }
            });
            feeders.add(t);
            t.start();
        }
        started.await();
        while (store.updates() < 10_000) { // join the stream mid-session
            Thread.onSpinWait();
        }
        AtomicBoolean ready = new AtomicBoolean();
        ConcurrentLinkedQueue<Trade> buffered = new ConcurrentLinkedQueue<>();
        laterSinks.add(e -> buffered.add((Trade) e)); // 1. subscribe
        List<LastValue> snapshot = store.snapshot(); // 2. snapshot
        SnapshotFilter filter = SnapshotFilter.of(snapshot);
        ready.set(true);
        for (Thread t : feeders) {
            t.join();
        }
        Map<String, Long> expectNext = new java.util.HashMap<>();
        for (LastValue v : snapshot) {
            expectNext.put(v.symbol(), v.trade().sequence() + 1);
        }
        for (Trade e : buffered) { // 3. follow, dropping what the snapshot already holds
            if (!filter.admit(e)) {
                continue;
            }
            long want = expectNext.getOrDefault(e.symbol(), 1L);
            assertThat(e.sequence()).as("next of %s", e.symbol()).isEqualTo(want);
            expectNext.put(e.symbol(), want + 1);
        }
        assertThat(expectNext).hasSize(symbols);
        assertThat(expectNext.values()).allMatch(n -> n == perSymbol + 1);
        assertThat(ready).isTrue();
    }
}
