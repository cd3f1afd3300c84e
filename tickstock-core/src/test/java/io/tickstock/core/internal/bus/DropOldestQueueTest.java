package io.tickstock.core.internal.bus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    @Test
    void manyProducersOneConsumerLoseNothingButCountedDropsAndKeepEachProducersOrder() throws Exception {
        DropOldestQueue<long[]> q = new DropOldestQueue<>(100); // not a power of two: positions taken modulo
        int producers = 3;
        int each = 200_000;
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads[p] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    q.offer(new long[] {id, i});
                }
            });
            threads[p].start();
        }
        long[] lastSeen = {-1, -1, -1};
        long received = 0;
        long[] last = null;
        while (true) {
            boolean producing = false;
            for (Thread t : threads) {
                producing |= t.isAlive();
            }
            long[] item = q.poll(10, TimeUnit.MILLISECONDS);
            if (item == null) {
                if (!producing && q.isEmpty()) {
                    break;
                }
                continue;
            }
            received++;
            last = item;
            assertThat(item[1]).as("producer %d's order", item[0]).isGreaterThan(lastSeen[(int) item[0]]);
            lastSeen[(int) item[0]] = item[1];
        }
        assertThat(q.offered()).isEqualTo((long) producers * each);
        assertThat(received + q.dropped()).isEqualTo(q.offered());
        assertThat(last[1]).as("the newest item is never the one dropped").isEqualTo(each - 1);
    }

    @Test
    void aParkedConsumerIsWokenByTheNextOffer() throws Exception {
        DropOldestQueue<String> q = new DropOldestQueue<>(4);
        java.util.concurrent.CompletableFuture<String> got = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return q.poll(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> got.isDone() || hasParkedConsumer(q));
        q.offer("x");
        assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo("x");
    }

    @Test
    void anInterruptedConsumerStopsWaiting() throws Exception {
        DropOldestQueue<String> q = new DropOldestQueue<>(4);
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        Thread consumer = new Thread(() -> {
            try {
                q.poll(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        consumer.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> hasParkedConsumer(q));
        consumer.interrupt();
        consumer.join(5_000);
        assertThat(interrupted).isTrue();
    }

    private static boolean hasParkedConsumer(DropOldestQueue<?> q) throws ReflectiveOperationException {
        java.lang.reflect.Field f = DropOldestQueue.class.getDeclaredField("sleeper");
        f.setAccessible(true);
        Thread t = (Thread) f.get(q);
        return t != null && t.getState() == Thread.State.TIMED_WAITING;
    }
}
