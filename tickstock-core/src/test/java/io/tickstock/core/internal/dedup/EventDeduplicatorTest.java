package io.tickstock.core.internal.dedup;

import io.tickstock.core.event.Aggregate;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class EventDeduplicatorTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final long MONDAY_10AM = at(LocalDate.of(2026, 11, 30), 10, 0);
    private static final long TUESDAY_4AM = at(LocalDate.of(2026, 12, 1), 4, 0);

    private static long at(LocalDate day, int hour, int minute) {
        return day.atTime(LocalTime.of(hour, minute)).atZone(NEW_YORK).toInstant().toEpochMilli();
    }

    private static Trade trade(String conn, String sym, long q) {
        return trade(conn, sym, q, MONDAY_10AM);
    }

    private static Trade trade(String conn, String sym, long q, long t) {
        return new Trade(conn, sym, 4, "i", 10, 1, List.of(), t, q, 3, t);
    }

    private static EventDeduplicator sharing(String... symbols) {
        EventDeduplicator d = new EventDeduplicator(1_000);
        for (String s : symbols) {
            assertThat(d.share(s)).isTrue();
        }
        return d;
    }

    @Test
    void aTickerThatIsNotSharedIsNeverDropped() {
        EventDeduplicator d = sharing();
        for (long q : new long[]{5, 5, 4, 1, 5_000_000, 1}) {
            assertThat(d.accept(trade("connection_1", "AAPL", q))).isTrue();
        }
        assertThat(d.figures()).isEqualTo(new EventDeduplicator.Figures(0, 0, 0, 0, 0, 1_000, 0));
    }

    @Test
    void theSameSequenceIsDeliveredOncePerTypeAndSymbol() {
        EventDeduplicator d = sharing("AAPL", "MSFT");
        assertThat(d.accept(trade("connection_1", "AAPL", 5))).isTrue();
        assertThat(d.accept(trade("connection_2", "AAPL", 5))).isFalse();
        assertThat(d.accept(trade("connection_2", "MSFT", 5))).isTrue();
        Quote q = new Quote("connection_1", "AAPL", 1, 10, 1, 2, 10.02, 1, MONDAY_10AM, 5, 3, 1);
        assertThat(d.accept(q)).isTrue(); // quotes have their own sequence space
        assertThat(d.figures().duplicatesDropped()).isEqualTo(1);
    }

    @Test
    void outOfOrderEventsInsideTheWindowAreKeptOnceAndCounted() {
        EventDeduplicator d = sharing("AAPL");
        assertThat(d.accept(trade("c", "AAPL", 10))).isTrue();
        assertThat(d.accept(trade("c", "AAPL", 12))).isTrue();
        assertThat(d.accept(trade("c", "AAPL", 11))).isTrue();
        assertThat(d.accept(trade("c", "AAPL", 11))).isFalse();
        assertThat(d.accept(trade("c", "AAPL", 10 + SequenceWindow.WIDTH + 50))).isTrue();
        assertThat(d.accept(trade("c", "AAPL", 12))).isFalse(); // too far behind to tell: late
        EventDeduplicator.Figures f = d.figures();
        assertThat(f.outOfOrderEvents()).isEqualTo(1);
        assertThat(f.duplicatesDropped()).isEqualTo(1);
        assertThat(f.lateEventsDropped()).isEqualTo(1);
    }

    @Test
    void jumpsInSequenceAreNeitherDroppedNorCounted() {
        EventDeduplicator d = sharing("AAPL");
        for (long q : new long[]{1, 2, 6, 9, 400, 401, 5_000}) {
            assertThat(d.accept(trade("c", "AAPL", q))).isTrue();
        }
        assertThat(d.figures()).isEqualTo(new EventDeduplicator.Figures(0, 0, 0, 0, 1, 1_000, 0));
    }

    @Test
    void aNewTradingDayRestartsTheSequenceWithoutCostingAnEvent() {
        EventDeduplicator d = sharing("AAPL");
        for (long q = 1; q <= 5_000; q++) {
            assertThat(d.accept(trade("connection_1", "AAPL", q, MONDAY_10AM + q))).isTrue();
        }
        for (long q = 1; q <= 1_000; q++) {
            assertThat(d.accept(trade("connection_1", "AAPL", q, TUESDAY_4AM + q))).isTrue();
            assertThat(d.accept(trade("connection_2", "AAPL", q, TUESDAY_4AM + q))).isFalse();
        }
        assertThat(d.figures()).isEqualTo(new EventDeduplicator.Figures(1_000, 0, 0, 1, 1, 1_000, 0));
    }

    @Test
    void aStragglerOfYesterdayIsCheckedAgainstYesterday() {
        EventDeduplicator d = sharing("AAPL");
        long evening = at(LocalDate.of(2026, 11, 30), 19, 59);
        assertThat(d.accept(trade("connection_1", "AAPL", 900, evening))).isTrue();
        assertThat(d.accept(trade("connection_1", "AAPL", 1, TUESDAY_4AM))).isTrue();
        // the slower connection still delivers Monday's last trades after Tuesday began
        assertThat(d.accept(trade("connection_2", "AAPL", 900, evening))).isFalse();
        assertThat(d.accept(trade("connection_2", "AAPL", 901, evening + 1))).isTrue();
        assertThat(d.accept(trade("connection_2", "AAPL", 1, TUESDAY_4AM))).isFalse();
        // two days back is beyond any overlap
        assertThat(d.accept(trade("connection_2", "AAPL", 7, MONDAY_10AM - 86_400_000L))).isFalse();
        assertThat(d.figures()).isEqualTo(new EventDeduplicator.Figures(2, 1, 0, 1, 1, 1_000, 0));
    }

    @Test
    void theTradingDateIsTheUsEasternDateAcrossDaylightSavingChanges() {
        // 2026-03-08: clocks go forward in New York; 2026-11-01: back
        for (LocalDate day : new LocalDate[]{LocalDate.of(2026, 3, 8), LocalDate.of(2026, 11, 1), LocalDate.of(2026, 7, 4)}) {
            long start = TradingDate.startMillis(day.toEpochDay());
            assertThat(TradingDate.of(start)).isEqualTo(day.toEpochDay());
            assertThat(TradingDate.of(start - 1)).isEqualTo(day.toEpochDay() - 1);
            assertThat(TradingDate.of(at(day, 20, 0))).isEqualTo(day.toEpochDay());
        }
    }

    @Test
    void unshareForgetsTheSymbol() {
        EventDeduplicator d = sharing("AAPL");
        assertThat(d.accept(trade("connection_1", "AAPL", 5))).isTrue();
        d.unshare("AAPL");
        assertThat(d.isShared("AAPL")).isFalse();
        assertThat(d.accept(trade("connection_1", "AAPL", 5))).isTrue();
        assertThat(d.figures().trackedSymbols()).isZero();
    }

    @Test
    void stateStopsAtTheLimitAndTheRestIsCountedAsOverflow() {
        EventDeduplicator d = new EventDeduplicator(100);
        d.shareAll(true);
        for (int i = 0; i < 1_000; i++) {
            String sym = "S" + i;
            assertThat(d.accept(trade("connection_1", sym, 1))).isTrue();
            assertThat(d.accept(trade("connection_2", sym, 1))).isEqualTo(i >= 100);
        }
        EventDeduplicator.Figures f = d.figures();
        assertThat(f.trackedSymbols()).isEqualTo(100);
        assertThat(f.overflow()).isEqualTo(1_800);
        assertThat(f.duplicatesDropped()).isEqualTo(100);
        assertThat(d.share("NEW")).isFalse();

        d.shareAll(false); // symbols only shared because of the whole market are forgotten
        assertThat(d.figures().trackedSymbols()).isZero();
        assertThat(d.share("AAPL")).isTrue();
    }

    @Test
    void aggregatesAreKeyedOnTheirWindow() {
        EventDeduplicator d = sharing("AAPL");
        assertThat(d.accept(agg("connection_1", MONDAY_10AM))).isTrue();
        assertThat(d.accept(agg("connection_2", MONDAY_10AM))).isFalse();
        assertThat(d.accept(agg("connection_1", MONDAY_10AM + 240_000))).isTrue();
    }

    @Test
    void absurdTimesAndSequencesCostNothingWorseThanTheirOwnWindow() {
        EventDeduplicator d = sharing("AAPL");
        for (long t : new long[]{Long.MIN_VALUE, -1, MONDAY_10AM, Long.MAX_VALUE}) { // each its own session
            assertThat(d.accept(trade("connection_1", "AAPL", 7, t))).isTrue();
            assertThat(d.accept(trade("connection_2", "AAPL", 7, t))).isFalse();
        }
        assertThat(d.accept(trade("connection_1", "AAPL", Long.MAX_VALUE, Long.MAX_VALUE))).isTrue();
        assertThat(d.accept(trade("connection_1", "AAPL", Long.MIN_VALUE, Long.MAX_VALUE))).isFalse();
        assertThat(d.accept(trade("connection_1", "AAPL", 8, Long.MIN_VALUE))).isFalse(); // older than yesterday
        EventDeduplicator.Figures f = d.figures();
        assertThat(f.duplicatesDropped()).isEqualTo(4);
        assertThat(f.lateEventsDropped()).isEqualTo(2);
        assertThat(f.sequenceRestarts()).isEqualTo(3);
    }

    @Test
    void sweepForgetsWholeMarketStateLeftBehindOnceSharingEnds() {
        EventDeduplicator d = sharing("AAPL");
        d.shareAll(true);
        d.accept(trade("connection_1", "MSFT", 1));
        assertThat(d.figures().trackedSymbols()).isEqualTo(2);
        d.sweep(); // still sharing everything: kept
        assertThat(d.figures().trackedSymbols()).isEqualTo(2);
        d.shareAll(false);
        d.sweep();
        assertThat(d.isShared("MSFT")).isFalse();
        assertThat(d.isShared("AAPL")).isTrue();
    }

    private static Aggregate agg(String conn, long start) {
        return new Aggregate(conn, EventType.AM, "AAPL", 100, 1000, 1, 1, 1, 2, 3, 0.5, 1, 10, start, start + 60_000,
                false, 1);
    }
}
