package io.tickstock.admin.internal.stream;

import io.tickstock.core.event.BasicTick;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.Tick;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TickCoalescerTest {
    private static Tick tick(String symbol, double price) {
        return new BasicTick(symbol, price, 1, 0, EventType.T, "connection_1", "test");
    }

    @Test
    void aDrainYieldsTheLatestTickOfEachChangedSymbolOnce() {
        TickCoalescer c = new TickCoalescer(100);
        c.offer(tick("AAPL", 1));
        c.offer(tick("AAPL", 2));
        c.offer(tick("MSFT", 3));
        List<Tick> out = new ArrayList<>();
        c.drainChanged(out);
        assertThat(out).extracting(Tick::symbol, Tick::price)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("AAPL", 2.0),
                        org.assertj.core.groups.Tuple.tuple("MSFT", 3.0));
        out.clear();
        c.drainChanged(out);
        assertThat(out).isEmpty();
        c.offer(tick("MSFT", 4));
        c.drainChanged(out);
        assertThat(out).extracting(Tick::price).containsExactly(4.0);
        out.clear();
        c.snapshot(out);
        assertThat(out).hasSize(2);
    }

    @Test
    void symbolsBeyondTheLimitAreDroppedAndCounted() {
        TickCoalescer c = new TickCoalescer(2);
        c.offer(tick("A", 1));
        c.offer(tick("B", 1));
        c.offer(tick("C", 1));
        c.offer(tick("A", 2));
        assertThat(c.symbols()).isEqualTo(2);
        assertThat(c.rejected()).isEqualTo(1);
        assertThat(c.offered()).isEqualTo(4);
    }

    @Test
    void aKeptStateTakesTicksAsOfferDoesAndASymbolBeyondTheLimitHasNone() {
        TickCoalescer c = new TickCoalescer(1);
        Object a = c.stateOf(tick("A", 1));
        assertThat(c.stateOf(tick("A", 5))).isSameAs(a);
        Object full = c.stateOf(tick("B", 1)); // turned away for good: the producer keeps this answer too
        assertThat(full).isNotNull().isNotSameAs(a).isSameAs(c.stateOf(tick("C", 1)));
        assertThat(c.accept(tick("A", 2), a)).isTrue();
        assertThat(c.accept(tick("B", 3), full)).isTrue(); // counted as rejected, no look-up
        c.accept(tick("B", 4));
        List<Tick> out = new ArrayList<>();
        c.drainChanged(out);
        assertThat(out).extracting(Tick::symbol, Tick::price).containsExactly(org.assertj.core.groups.Tuple.tuple("A", 2.0));
        assertThat(c.offered()).isEqualTo(3);
        assertThat(c.rejected()).isEqualTo(2);
    }

    @Test
    void concurrentWritersNeverLoseTheLastValue() throws Exception {
        TickCoalescer c = new TickCoalescer(100);
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= 200_000; i++) {
                c.offer(tick("X", i));
            }
        });
        writer.start();
        List<Tick> out = new ArrayList<>();
        while (writer.isAlive()) {
            c.drainChanged(out);
        }
        writer.join();
        c.drainChanged(out);
        assertThat(out.get(out.size() - 1).price()).isEqualTo(200_000.0);
    }

    @Test
    void concurrentWritersOfManySymbolsLeaveEachSymbolsLastValueDrainedLast() throws Exception {
        TickCoalescer c = new TickCoalescer(100);
        int perWriter = 50_000;
        Thread[] writers = new Thread[2];
        for (int w = 0; w < writers.length; w++) {
            String prefix = "W" + w + "S";
            writers[w] = new Thread(() -> {
                for (int i = 1; i <= perWriter; i++) {
                    c.offer(tick(prefix + (i % 10), i));
                }
            });
            writers[w].start();
        }
        java.util.Map<String, Double> lastDrained = new java.util.HashMap<>();
        List<Tick> out = new ArrayList<>();
        while (writers[0].isAlive() || writers[1].isAlive()) {
            c.drainChanged(out);
            out.forEach(t -> lastDrained.put(t.symbol(), t.price()));
            out.clear();
        }
        for (Thread w : writers) {
            w.join();
        }
        c.drainChanged(out);
        out.forEach(t -> lastDrained.put(t.symbol(), t.price()));
        assertThat(lastDrained).hasSize(20);
        for (int w = 0; w < writers.length; w++) {
            for (int s = 0; s < 10; s++) {
                int last = perWriter - ((perWriter - s) % 10); // the last i with i % 10 == s
                assertThat(lastDrained.get("W" + w + "S" + s)).as("W%dS%d", w, s).isEqualTo((double) last);
            }
        }
        assertThat(c.offered()).isEqualTo(2L * perWriter);
        out.clear();
        c.drainChanged(out);
        assertThat(out).isEmpty();
    }
}
