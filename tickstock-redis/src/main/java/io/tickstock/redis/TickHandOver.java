package io.tickstock.redis;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded hand-over from the feed threads to the one publisher thread: many producers, one
 * consumer, no lock. A producer claims a slot with one compare-and-set and publishes the item with
 * an ordered write (D. Vyukov's bounded queue: each slot carries the sequence number of the turn it
 * is ready for); the consumer takes whole batches. When the ring is full the producer's own item is
 * refused and counted: a producer never waits and never touches the consumer's side, so dropping the
 * oldest instead would need the lock this class exists to avoid.
 *
 * <p>An idle consumer parks; producers wake it only when it said it would sleep (one volatile read
 * per offer otherwise).
 */
final class TickHandOver<T> {
    private final int capacity;
    private final AtomicReferenceArray<T> items;
    private final AtomicLongArray turns; // slot i is free for position p when turns[i] == p, full when p + 1
    private final AtomicLong tail = new AtomicLong(); // next position to claim: items ever accepted
    private final LongAdder refused = new LongAdder();
    private volatile long head; // next position to take; written by the consumer only
    private volatile Thread sleeper; // the consumer, while it parks on an empty ring

    TickHandOver(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.items = new AtomicReferenceArray<>(capacity);
        this.turns = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            turns.set(i, i);
        }
    }

    /** Never blocks: false (counted as refused) when the ring is full. */
    boolean offer(T item) {
        long pos = tail.get();
        int slot;
        while (true) {
            slot = (int) (pos % capacity);
            long diff = turns.getAcquire(slot) - pos;
            if (diff == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    break;
                }
                pos = tail.get();
            } else if (diff < 0) { // the slot still holds the item of the previous lap: full
                refused.increment();
                return false;
            } else { // another producer took this position
                pos = tail.get();
            }
        }
        items.setPlain(slot, item);
        turns.setRelease(slot, pos + 1);
        Thread s = sleeper;
        if (s != null) {
            LockSupport.unpark(s);
        }
        return true;
    }

    /** Consumer only: the oldest item, or null when none is ready. */
    T poll() {
        long pos = head;
        int slot = (int) (pos % capacity);
        if (turns.getAcquire(slot) != pos + 1) {
            return null; // empty, or the producer of this position has not published yet
        }
        T item = items.getPlain(slot);
        items.setPlain(slot, null);
        turns.setRelease(slot, pos + capacity);
        head = pos + 1;
        return item;
    }

    /** Consumer only: moves up to {@code max} ready items into {@code into} from {@code from}; returns how many. */
    int drainTo(T[] into, int from, int max) {
        long pos = head;
        int n = 0;
        while (n < max) {
            int slot = (int) (pos % capacity);
            if (turns.getAcquire(slot) != pos + 1) {
                break;
            }
            into[from + n++] = items.getPlain(slot);
            items.setPlain(slot, null);
            turns.setRelease(slot, pos + capacity);
            pos++;
        }
        head = pos; // once per batch: the field shares a cache line with what producers read
        return n;
    }

    /**
     * Consumer only: parks until an item may be ready or {@code timeout} has passed (also on a spurious
     * wake-up or an interrupt, which stays set for the caller).
     */
    void awaitItem(long timeout, TimeUnit unit) {
        if (!isEmpty()) {
            return;
        }
        sleeper = Thread.currentThread();
        if (isEmpty()) { // re-checked after announcing the sleep: an offer in between unparks us
            LockSupport.parkNanos(this, unit.toNanos(timeout));
        }
        sleeper = null;
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** Items accepted and not yet taken (claimed positions included). */
    int size() {
        long h = head;
        return (int) Math.max(0, Math.min(capacity, tail.get() - h));
    }

    int capacity() {
        return capacity;
    }

    /** Items offered so far, accepted or refused. */
    long offered() {
        return tail.get() + refused.sum();
    }

    /** Items refused because the ring was full. */
    long refused() {
        return refused.sum();
    }
}
