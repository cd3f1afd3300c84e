package io.tickstock.core.internal.bus;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded hand-over queue in front of everything slow (bus subscribers, Redis publishers):
 * producers never block; when it is full the oldest item makes room and is counted as dropped.
 * Many producers, one consumer.
 *
 * <p>No lock: a ring of slots, each carrying the sequence number of the turn it is ready for
 * (D. Vyukov's bounded queue). A producer claims a position with one compare-and-set and publishes
 * its item with an ordered store; a producer that finds the ring full takes the oldest item itself
 * (the same compare-and-set a consumer uses) and counts it as dropped. The consumer parks when the
 * ring is empty and is woken by the next producer.
 */
public final class DropOldestQueue<T> {
    /** Unannounced naps of a consumer that ran dry before it parks until woken (see {@link #poll(long, TimeUnit)}). */
    private static final int NAPS = 10;
    private static final long NAP_NANOS = 50_000;

    private final int capacity;
    /** {@code capacity - 1} when it is a power of two (positions are masked), else -1 (taken modulo). */
    private final int mask;
    private final AtomicReferenceArray<T> items;
    /** Slot i is free for position p when {@code turns[i] == p}, holds p's item when {@code p + 1}. */
    private final AtomicLongArray turns;
    /** The next position to claim; every offer claims exactly one, so it is also the count offered. */
    private final AtomicLong tail = new AtomicLong();
    /** The next position to take, by the consumer or by a producer making room. */
    private final AtomicLong head = new AtomicLong();
    private final LongAdder dropped = new LongAdder();
    /** The consumer while it parks on an empty ring. */
    private volatile Thread sleeper;

    public DropOldestQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.mask = Integer.bitCount(capacity) == 1 ? capacity - 1 : -1;
        this.items = new AtomicReferenceArray<>(capacity);
        this.turns = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            turns.set(i, i);
        }
    }

    private int slot(long position) {
        return mask >= 0 ? (int) (position & mask) : (int) (position % capacity);
    }

    /** Never blocks: if full, drops the oldest item (counted) to make room. */
    public void offer(T item) {
        while (true) {
            long pos = tail.get();
            int slot = slot(pos);
            long turn = turns.getAcquire(slot);
            if (turn == pos) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    items.setPlain(slot, item);
                    turns.setRelease(slot, pos + 1);
                    // the compare-and-set above orders this read after the claim: a consumer that
                    // announced itself before it is seen here; one that did later sees the claim
                    Thread s = sleeper;
                    if (s != null) {
                        LockSupport.unpark(s);
                    }
                    return;
                }
            } else if (turn < pos && pos - head.get() >= capacity) {
                // full: the slot still holds the previous lap's item, so make room by taking the oldest
                if (poll() != null) {
                    dropped.increment();
                }
            } else {
                Thread.onSpinWait(); // another producer claimed pos, or a taker has not released the slot yet
            }
        }
    }

    /** The oldest item, or null when there is none (or its producer has not finished publishing it). */
    public T poll() {
        while (true) {
            long pos = head.get();
            int slot = slot(pos);
            long turn = turns.getAcquire(slot);
            if (turn == pos + 1) {
                if (head.compareAndSet(pos, pos + 1)) {
                    T item = items.getPlain(slot);
                    items.setPlain(slot, null);
                    turns.setRelease(slot, pos + capacity);
                    return item;
                }
            } else if (turn <= pos) {
                return null;
            }
            // else another taker got pos first: try the next one
        }
    }

    /**
     * Consumer only: the oldest item, waiting up to {@code timeout} for one; null if none came.
     *
     * <p>A consumer that has just run dry first naps briefly {@value #NAPS} times without telling
     * the producers (waking a parked thread is a system call, which a producer would otherwise pay
     * for nearly every item of a steady flow); only then it parks until woken.
     */
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        T item = poll();
        if (item != null) {
            return item;
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        int naps = 0;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                if (naps < NAPS) {
                    naps++;
                    LockSupport.parkNanos(this, Math.min(left, NAP_NANOS));
                } else {
                    sleeper = Thread.currentThread();
                    if (tail.get() == head.get()) { // truly empty (read after announcing: see offer)
                        LockSupport.parkNanos(this, left);
                    } else {
                        Thread.onSpinWait(); // claimed but not yet published: a matter of nanoseconds
                    }
                    sleeper = null;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                item = poll();
                if (item != null) {
                    return item;
                }
            }
        } finally {
            sleeper = null;
        }
    }

    public int drainTo(Collection<? super T> into, int max) {
        int n = 0;
        T item;
        while (n < max && (item = poll()) != null) {
            into.add(item);
            n++;
        }
        return n;
    }

    /** Empties the queue, counting what it held as dropped; returns how many that was. */
    public int discardAll() {
        int n = 0;
        while (poll() != null) {
            n++;
        }
        dropped.add(n);
        return n;
    }

    public int size() {
        long n = tail.get() - head.get();
        return (int) Math.max(0, Math.min(capacity, n));
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public int capacity() {
        return capacity;
    }

    /** Items ever offered. */
    public long offered() {
        return tail.get();
    }

    /** Items dropped to make room, or discarded by {@link #discardAll()}. */
    public long dropped() {
        return dropped.sum();
    }
}
