package io.tickstock.core.internal.bus;

import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded hand-over queue in front of everything slow (bus subscribers, Redis publishers):
 * producers never block; when it is full the oldest item makes room and is counted as dropped.
 * Many producers, one consumer.
 */
public final class DropOldestQueue<T> {
    private final ArrayBlockingQueue<T> queue;
    private final int capacity;
    private final LongAdder offered = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    public DropOldestQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
    }

    /** Never blocks: if full, drops the oldest item (counted) to make room. */
    public void offer(T item) {
        offered.increment();
        while (!queue.offer(item)) {
            if (queue.poll() != null) {
                dropped.increment();
            }
        }
    }

    public T poll() {
        return queue.poll();
    }

    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    public int drainTo(Collection<? super T> into, int max) {
        return queue.drainTo(into, max);
    }

    /** Empties the queue, counting what it held as dropped; returns how many that was. */
    public int discardAll() {
        int n = 0;
        while (queue.poll() != null) {
            n++;
        }
        dropped.add(n);
        return n;
    }

    public int size() {
        return queue.size();
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public int capacity() {
        return capacity;
    }

    /** Items ever offered. */
    public long offered() {
        return offered.sum();
    }

    /** Items dropped to make room, or discarded by {@link #discardAll()}. */
    public long dropped() {
        return dropped.sum();
    }
}
