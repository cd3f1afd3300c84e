package io.tickstock.core.internal.bus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DropOldestQueueTest {
    @Test
    void aFullQueueDropsItsOldestAndCountsEveryItem() {
        DropOldestQueue<Integer> q = new DropOldestQueue<>(3);
        for (int i = 1; i <= 5; i++) {
            q.offer(i);
        }
        assertThat(q.offered()).isEqualTo(5);
        assertThat(q.dropped()).isEqualTo(2);
        assertThat(q.size()).isEqualTo(3);
        List<Integer> out = new ArrayList<>();
        q.drainTo(out, 10);
        assertThat(out).containsExactly(3, 4, 5);
    }

    @Test
    void discardAllCountsWhatWasLeft() {
        DropOldestQueue<String> q = new DropOldestQueue<>(4);
        q.offer("a");
        q.offer("b");
        assertThat(q.discardAll()).isEqualTo(2);
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.dropped()).isEqualTo(2);
        assertThat(q.offered()).isEqualTo(q.dropped());
    }
}
