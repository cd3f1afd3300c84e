package io.tickstock.feed.massive.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConditionCacheTest {
    private final ConditionCache cache = new ConditionCache();

    @Test
    void theSameCodesGiveTheSameImmutableList() {
        List<Integer> first = cache.get(new int[] {12, 37, 99}, 2);
        assertThat(first).containsExactly(12, 37).isSameAs(cache.get(new int[] {12, 37}, 2));
        assertThat(cache.get(new int[] {37, 12}, 2)).containsExactly(37, 12).isNotSameAs(first);
        assertThat(cache.get(new int[] {7}, 1)).containsExactly(7).isSameAs(cache.get(new int[] {7}, 1));
        assertThat(cache.get(new int[0], 0)).isEmpty();
        assertThat(cache.get(new int[] {-4}, 1)).containsExactly(-4);
        assertThatThrownBy(() -> first.add(1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(cache.size()).isEqualTo(3); // {12,37}, {37,12}, {-4}
    }

    @Test
    void aFloodOfDistinctSetsHoldsAtMostTheCapacityAndCountsTheRest() {
        for (int i = 0; i < 10_000; i++) {
            assertThat(cache.get(new int[] {i, i + 1}, 2)).containsExactly(i, i + 1);
        }
        assertThat(cache.size()).isEqualTo(ConditionCache.CAPACITY);
        assertThat(cache.notCached()).isEqualTo(10_000 - ConditionCache.CAPACITY);
        // a set held before the cache filled is still shared
        assertThat(cache.get(new int[] {0, 1}, 2)).isSameAs(cache.get(new int[] {0, 1}, 2));
    }
}
