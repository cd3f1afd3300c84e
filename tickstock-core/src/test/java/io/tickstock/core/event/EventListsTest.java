package io.tickstock.core.event;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Condition and indicator codes are immutable lists: they print their values and compare by value. */
class EventListsTest {
    private static Trade trade(List<Integer> conditions) {
        return new Trade("connection_1", "AAPL", 4, "t1", 178.25, 100, conditions, 1_000L, 7, 3, 1_001L);
    }

    @Test
    void tradesWithTheSameConditionsAreEqualAndPrintTheCodes() {
        Trade a = trade(List.of(12, 37));
        Trade b = trade(new ArrayList<>(List.of(12, 37)));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(trade(List.of(12)));
        assertThat(a.toString()).contains("conditions=[12, 37]").doesNotContain("[I@");
    }

    @Test
    void theConditionsAreACopyThatCannotBeChanged() {
        List<Integer> codes = new ArrayList<>(List.of(12));
        Trade t = trade(codes);
        codes.add(37);
        assertThat(t.conditions()).containsExactly(12);
        assertThatThrownBy(() -> t.conditions().add(1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(trade(null).conditions()).isEmpty();
    }

    @Test
    void anImmutableListIsKeptWithoutACopy() {
        List<Integer> codes = List.of(12, 37);
        assertThat(trade(codes).conditions()).isSameAs(codes);
    }

    @Test
    void limitUpDownIndicatorsCompareByValue() {
        LimitUpDown a = new LimitUpDown("connection_1", "AAPL", 190.0, 170.0, List.of(21), 3, 1_000L, 9, 1_001L);
        LimitUpDown b = new LimitUpDown("connection_1", "AAPL", 190.0, 170.0, new ArrayList<>(List.of(21)), 3, 1_000L,
                9, 1_001L);
        assertThat(a).isEqualTo(b);
        assertThat(a.toString()).contains("indicators=[21]");
        assertThat(new LimitUpDown("c", "A", 1, 1, null, 0, 0, 0, 0).indicators()).isEmpty();
    }
}
