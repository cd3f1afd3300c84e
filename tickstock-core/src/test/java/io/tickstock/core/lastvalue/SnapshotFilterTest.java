package io.tickstock.core.lastvalue;

import io.tickstock.core.event.EventType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tickstock.core.lastvalue.LastValueStoreTest.quote;
import static io.tickstock.core.lastvalue.LastValueStoreTest.trade;
import static org.assertj.core.api.Assertions.assertThat;

class SnapshotFilterTest {

    @Test
    void dropsWhatTheSnapshotHoldsAndAdmitsWhatComesAfter() {
        SnapshotFilter f = SnapshotFilter.of(List.of(
                new LastValue("AAPL", trade("AAPL", 1, 1_000, 10, 1), quote("AAPL", 1, 1_000, 50, 1))));
        assertThat(f.pending()).isEqualTo(2);
        assertThat(f.admit(trade("AAPL", 1, 999, 9, 2))).isFalse();
        assertThat(f.admit(trade("AAPL", 1, 1_000, 10, 2))).isFalse(); // the snapshot's own tick
        assertThat(f.admit(trade("AAPL", 1, 1_000, 11, 2))).isTrue();
        assertThat(f.admit(quote("AAPL", 1, 1_000, 50, 2))).isFalse(); // quotes have their own point
        assertThat(f.admit(quote("AAPL", 1, 1_001, 1, 2))).isTrue(); // later ms wins whatever q
        assertThat(f.admit(trade("MSFT", 1, 1, 1, 2))).isTrue(); // not in the snapshot
        assertThat(f.pending()).isZero();
    }

    @Test
    void aNewSessionAfterTheSnapshotIsAdmitted() {
        SnapshotFilter f = new SnapshotFilter().add("AAPL", EventType.T, 1_000, 4_000_000);
        assertThat(f.admit("AAPL", EventType.T, 90_000_000, 1)).isTrue();
    }
}
