package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TickHandOverTest {
    @Test
    void keepsOrderAndRefusesWhatDoesNotFitCountingIt() {
        TickHandOver<Integer> q = new TickHandOver<>(3);
        assertThat(q.poll()).isNull();
        assertThat(q.offer(1)).isTrue();
        assertThat(q.offer(2)).isTrue();
        assertThat(q.offer(3)).isTrue();
        assertThat(q.offer(4)).isFalse(); // full: the newcomer is refused, the queued ones stay
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.refused()).isEqualTo(1);
        assertThat(q.offered()).isEqualTo(4);
        assertThat(q.poll()).isEqualTo(1);
        assertThat(q.offer(5)).isTrue(); // the freed slot is reused on the next lap
        Integer[] out = new Integer[10];
        assertThat(q.drainTo(out, 1, 2)).isEqualTo(2);
        assertThat(out).startsWith(null, 2, 3);
        assertThat(q.drainTo(out, 0, 10)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(5);
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.offered()).isEqualTo(5);
        assertThat(q.refused()).isEqualTo(1);
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new TickHandOver<>(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
    }

    @Test
    void fourProducersAgainstOneConsumerLoseNothingUncountedAndDeliverEachItemOnceInProducerOrder()
            throws Exception {
        int producers = 4;
        int perProducer = 200_000;
        TickHandOver<Long> q = new TickHandOver<>(1_000); // small: the ring wraps and fills many times
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong accepted = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long base = (long) p * perProducer;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    if (q.offer(base + i)) {
                        accepted.incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        BitSet seen = new BitSet(producers * perProducer);
        long[] lastPerProducer = {-1, -1, -1, -1};
        long taken = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        start.countDown();
        Long[] batch = new Long[256];
        while (true) {
            int n = q.drainTo(batch, 0, batch.length);
            for (int i = 0; i < n; i++) {
                long v = batch[i];
                if (seen.get((int) v)) {
                    duplicates++;
                }
                seen.set((int) v);
                int p = (int) (v / perProducer);
                if (v <= lastPerProducer[p]) {
                    outOfOrder++;
                }
                lastPerProducer[p] = v;
                taken++;
            }
            if (n == 0) {
                if (threads.stream().noneMatch(Thread::isAlive) && q.isEmpty()) {
                    break;
                }
                q.awaitItem(1, TimeUnit.MILLISECONDS);
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(duplicates).isZero();
        assertThat(outOfOrder).isZero();
        assertThat(taken).isEqualTo(accepted.get());
        assertThat(q.offered()).isEqualTo((long) producers * perProducer);
        assertThat(taken + q.refused()).isEqualTo(q.offered());
    }

    @Test
    void anOfferWakesAParkedConsumer() throws Exception {
        TickHandOver<String> q = new TickHandOver<>(4);
        CountDownLatch parked = new CountDownLatch(1);
        long[] waitedNanos = new long[1];
        Thread consumer = new Thread(() -> {
            parked.countDown();
            long t0 = System.nanoTime();
            q.awaitItem(30, TimeUnit.SECONDS);
            waitedNanos[0] = System.nanoTime() - t0;
        });
        consumer.start();
        parked.await();
        while (consumer.getState() != Thread.State.TIMED_WAITING && consumer.isAlive()) {
            Thread.onSpinWait();
        }
        q.offer("x");
        consumer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(consumer.isAlive()).isFalse();
        assertThat(waitedNanos[0]).isLessThan(TimeUnit.SECONDS.toNanos(10)); // woken, not timed out
        assertThat(q.poll()).isEqualTo("x");
    }
}
