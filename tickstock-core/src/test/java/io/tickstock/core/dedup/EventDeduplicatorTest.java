package io.tickstock.core.dedup;

import io.tickstock.core.event.Aggregate;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventDeduplicatorTest {

    private static Trade trade(String conn, String sym, long q) {
        return new Trade(conn, sym, 4, "i", 10, 1, new int[0], 1, q, 3, 1);
    }

    @Test
    void theSameSequenceIsDeliveredOncePerTypeAndSymbol() {
        EventDeduplicator d = new EventDeduplicator();
        assertThat(d.accept(trade("connection_1", "AAPL", 5))).isTrue();
        assertThat(d.accept(trade("connection_2", "AAPL", 5))).isFalse();
        assertThat(d.accept(trade("connection_2", "MSFT", 5))).isTrue();
        Quote q = new Quote("connection_1", "AAPL", 1, 10, 1, 2, 10.02, 1, 1, 5, 3, 1);
        assertThat(d.accept(q)).isTrue(); // quotes have their own sequence space
    }

    @Test
    void outOfOrderEventsInsideTheWindowAreKeptOnce() {
        EventDeduplicator d = new EventDeduplicator();
        assertThat(d.accept(trade("c", "AAPL", 10))).isTrue();
        assertThat(d.accept(trade("c", "AAPL", 12))).isTrue();
        assertThat(d.accept(trade("c", "AAPL", 11))).isTrue();
        assertThat(d.accept(trade("c", "AAPL", 11))).isFalse();
        assertThat(d.accept(trade("c", "AAPL", 10 + SequenceWindow.WIDTH + 50))).isTrue();
        assertThat(d.accept(trade("c", "AAPL", 12))).isFalse(); // too old: counted as late
        assertThat(d.lateEvents()).isEqualTo(1);
    }

    @Test
    void aSequenceRestartIsAcceptedNotDroppedForever() {
        EventDeduplicator d = new EventDeduplicator();
        assertThat(d.accept(trade("c", "AAPL", 5_000_000))).isTrue();
        assertThat(d.accept(trade("c", "AAPL", 1))).isTrue();
        assertThat(d.accept(trade("c", "AAPL", 2))).isTrue();
    }

    @Test
    void jumpsInSequenceAreCountedAsGapsPerSymbol() {
        EventDeduplicator d = new EventDeduplicator();
        for (long q : new long[]{1, 2, 3, 7, 8, 20}) {
            d.accept(trade("c", "AAPL", q));
        }
        d.accept(trade("c", "MSFT", 1));
        d.accept(trade("c", "MSFT", 2));
        assertThat(d.gaps()).isEqualTo(new EventDeduplicator.GapSummary(2, 1));
        assertThat(d.gapsOf("AAPL")).isEqualTo(2);
        assertThat(d.gapsOf("MSFT")).isZero();
        assertThat(d.eventsBySymbol()).containsEntry("AAPL", 6L).containsEntry("MSFT", 2L);
    }

    @Test
    void aggregatesAreKeyedOnTheirWindowAndNeverCountGaps() {
        EventDeduplicator d = new EventDeduplicator();
        assertThat(d.accept(agg("connection_1", 60_000))).isTrue();
        assertThat(d.accept(agg("connection_2", 60_000))).isFalse();
        assertThat(d.accept(agg("connection_1", 240_000))).isTrue();
        assertThat(d.gaps().gaps()).isZero();
    }

    private static Aggregate agg(String conn, long start) {
        return new Aggregate(conn, EventType.AM, "AAPL", 100, 1000, 1, 1, 1, 2, 3, 0.5, 1, 10, start, start + 60_000,
                false, 1);
    }
}
