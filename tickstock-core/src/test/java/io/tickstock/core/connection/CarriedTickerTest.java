package io.tickstock.core.connection;

import io.tickstock.core.internal.dedup.EventDeduplicator;
import io.tickstock.core.internal.dedup.EventDeduplicator.SymbolWindows;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-over of de-duplication windows to an entry a whole-market slot makes on first sight. */
class CarriedTickerTest {
    private final EventDeduplicator dedup = new EventDeduplicator(10);

    @Test
    void aNewEntryTakesTheWindowsTheTickerWasSharedWith() {
        SymbolWindows w = dedup.shareWindows("AAPL");
        CarriedTicker entry = new CarriedTicker(null, null);
        entry.attachIfNone(dedup.windowsOf("AAPL"));
        assertThat(entry.windows()).isSameAs(w);
    }

    @Test
    void windowsSetByTheControlQueueMeanwhileAreKept() {
        SymbolWindows stale = dedup.shareWindows("AAPL");
        dedup.unshare("AAPL");
        SymbolWindows fresh = dedup.shareWindows("AAPL");
        CarriedTicker entry = new CarriedTicker(null, null);
        entry.windows(fresh); // the control queue found the entry first
        entry.attachIfNone(stale);
        assertThat(entry.windows()).isSameAs(fresh);
    }

    @Test
    void windowsForgottenBeforeTheAttachAreLetGo() {
        SymbolWindows w = dedup.shareWindows("AAPL");
        CarriedTicker entry = new CarriedTicker(null, null);
        dedup.unshare("AAPL"); // the control queue cleared the entry before the attach below
        entry.windows(null);
        entry.attachIfNone(w);
        assertThat(w.retired()).isTrue();
        assertThat(entry.windows()).isNull();
    }

    @Test
    void windowsMadeOnlyForTheWholeMarketAreNotHandedOut() {
        dedup.shareAll(true);
        dedup.accept(new io.tickstock.core.event.Trade("connection_1", "MSFT", 4, "1", 1.0, 1, java.util.List.of(),
                1_000L, 1, 3, 1_000L));
        assertThat(dedup.isShared("MSFT")).isTrue();
        assertThat(dedup.windowsOf("MSFT")).isNull();
    }
}
