package io.tickstock.feed.massive.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SymbolCacheTest {
    private static String get(SymbolCache cache, String s) {
        return cache.get(s.toCharArray(), 0, s.length());
    }

    @Test
    void aFloodOfDistinctSymbolsNeverHoldsMoreThanTheFixedNumberOfSlots() {
        SymbolCache cache = new SymbolCache();
        for (int i = 0; i < 200_000; i++) {
            assertThat(get(cache, "Z" + i)).isEqualTo("Z" + i);
        }
        assertThat(cache.size()).isPositive().isLessThanOrEqualTo(SymbolCache.SLOTS);
    }

    @Test
    void theSameTextGivesTheSameInstanceAndLongTextIsNotKept() {
        SymbolCache cache = new SymbolCache();
        assertThat(get(cache, "AAPL")).isSameAs(get(cache, "AAPL"));
        String longText = "X".repeat(17);
        assertThat(get(cache, longText)).isEqualTo(longText).isNotSameAs(get(cache, longText));
        assertThat(cache.size()).isEqualTo(1);
    }
}
