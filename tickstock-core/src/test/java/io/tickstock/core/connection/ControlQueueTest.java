package io.tickstock.core.connection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlQueueTest {
    @Test
    void tasksRunInSubmissionOrderAndNestedCallsRunInPlace() {
        ControlQueue q = new ControlQueue();
        List<String> order = new ArrayList<>();
        q.execute(() -> {
            order.add("a");
            q.execute(() -> order.add("c")); // queued behind the running task
            order.add(q.call(() -> "b"));    // already in order: runs at once
        });
        assertThat(order).containsExactly("a", "b", "c");
        assertThat(q.refused()).isZero();
    }

    @Test
    void aRunawayProducerIsRefusedAtTheCapacityAndCounted() {
        ControlQueue q = new ControlQueue();
        List<Integer> ran = new ArrayList<>();
        q.execute(() -> {
            // while this task runs (it no longer counts as queued), everything else queues behind it
            for (int i = 0; i < ControlQueue.CAPACITY; i++) {
                q.execute(() -> ran.add(1));
            }
            assertThatThrownBy(() -> q.execute(() -> ran.add(2))).isInstanceOf(RejectedExecutionException.class);
        });
        assertThat(ran).hasSize(ControlQueue.CAPACITY).doesNotContain(2);
        assertThat(q.refused()).isEqualTo(1);
        q.execute(() -> ran.add(3)); // room again once drained
        assertThat(ran).endsWith(3);
    }
}
