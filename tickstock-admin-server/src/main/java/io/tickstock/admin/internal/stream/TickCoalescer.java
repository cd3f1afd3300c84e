package io.tickstock.admin.internal.stream;

import io.tickstock.core.event.Tick;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The latest tick per symbol, with a "changed since last drain" mark. Written on feed I/O threads
 * ({@link #offer}: one map lookup and two volatile writes, never blocks), drained by the stream's
 * single flusher thread. Bounded by {@code maxSymbols}: ticks of symbols beyond it are dropped and
 * counted. Whatever the tick rate, a drain yields at most one tick per symbol.
 *
 * <p>Concurrency: the writer stores the tick, then sets the mark; the drainer clears the mark, then
 * reads the tick. A tick written during a drain is either read by it or leaves the mark set for the
 * next one, so no latest value is lost.
 */
public final class TickCoalescer {
    private static final class Slot {
        volatile Tick tick;
        final AtomicBoolean dirty = new AtomicBoolean();
    }

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final int maxSymbols;
    private final LongAdder offered = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    public TickCoalescer(int maxSymbols) {
        this.maxSymbols = maxSymbols;
    }

    /** Keeps {@code tick} as its symbol's latest. Hot path. */
    public void offer(Tick tick) {
        offered.increment();
        Slot slot = slots.get(tick.symbol());
        if (slot == null) {
            if (slots.size() >= maxSymbols) {
                rejected.increment();
                return;
            }
            slot = slots.computeIfAbsent(tick.symbol(), s -> new Slot());
        }
        slot.tick = tick;
        if (!slot.dirty.get()) {
            slot.dirty.set(true);
        }
    }

    /** Adds every tick changed since the previous drain to {@code out} and clears the marks. */
    public void drainChanged(List<Tick> out) {
        for (Slot slot : slots.values()) {
            if (slot.dirty.get() && slot.dirty.compareAndSet(true, false)) {
                out.add(slot.tick);
            }
        }
    }

    /** The latest tick of every symbol seen (for a browser that resumes or just connected). */
    public void snapshot(List<Tick> out) {
        for (Slot slot : slots.values()) {
            Tick t = slot.tick;
            if (t != null) {
                out.add(t);
            }
        }
    }

    public int symbols() {
        return slots.size();
    }

    public long offered() {
        return offered.sum();
    }

    /** Ticks dropped because {@code maxSymbols} symbols were already tracked. */
    public long rejected() {
        return rejected.sum();
    }
}
