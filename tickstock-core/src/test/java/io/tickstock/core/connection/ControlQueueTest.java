package io.tickstock.core.connection;

import io.tickstock.core.testing.ManualTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlQueueTest {
    @Test
    void tasksRunInSubmissionOrderAndNestedCallsRunInPlace() {
        ControlQueue q = new ControlQueue(new ManualTime().scheduler());
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
        ControlQueue q = new ControlQueue(new ManualTime().scheduler());
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

    @Test
    void anAcknowledgementCompletedOnAnotherThreadContinuesOnlyOnTheControlThread() throws Exception {
        ManualTime time = new ManualTime();
        ControlQueue q = new ControlQueue(time.scheduler());
        CompletableFuture<Void> ack = new CompletableFuture<>();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        q.whenAcknowledged(ack, Duration.ofSeconds(5), (ok, error) ->
                ran.add(Thread.currentThread().getName() + (error == null ? " ok" : " " + error.getClass().getSimpleName())));

        Thread io = new Thread(() -> ack.complete(null), "fake-io-loop");
        io.start();
        io.join();
        assertThat(ran).isEmpty(); // nothing ran on the I/O thread

        time.runPending();
        assertThat(ran).containsExactly(Thread.currentThread().getName() + " ok");
        assertThat(time.queued()).isZero(); // the timeout timer was cancelled
        time.advance(Duration.ofSeconds(10));
        assertThat(ran).hasSize(1);
    }

    @Test
    void anAcknowledgementThatNeverComesTimesOutOnTheControlClock() {
        ManualTime time = new ManualTime();
        ControlQueue q = new ControlQueue(time.scheduler());
        CompletableFuture<Void> ack = new CompletableFuture<>();
        List<Throwable> errors = new ArrayList<>();
        q.whenAcknowledged(ack, Duration.ofSeconds(5), (ok, error) -> errors.add(error));

        time.advance(Duration.ofMillis(4_999));
        assertThat(errors).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(errors).singleElement().isInstanceOf(TimeoutException.class);
        assertThat(ack).isNotDone(); // the client's own future is left alone
        ack.complete(null);
        time.runPending();
        assertThat(errors).hasSize(1); // a late acknowledgement does not continue twice
    }

    @Test
    void afterTheControlThreadIsShutDownContinuationsStillRun() {
        ManualTime time = new ManualTime();
        ControlQueue q = new ControlQueue(time.scheduler());
        time.scheduler().shutdownNow();
        List<String> ran = new ArrayList<>();
        q.whenAcknowledged(CompletableFuture.completedFuture(null), Duration.ofSeconds(5), (ok, error) -> ran.add("done"));
        assertThat(ran).containsExactly("done");
    }
}
