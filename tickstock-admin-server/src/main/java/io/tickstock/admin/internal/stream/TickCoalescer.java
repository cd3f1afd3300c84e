package io.tickstock.admin.internal.stream;

import io.tickstock.core.bus.SymbolStateSink;
import io.tickstock.core.event.Tick;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The latest tick per symbol. Written on feed I/O threads ({@link #offer}: one map lookup and one
 * ordered store, never a lock, never blocks; no look-up when the manager keeps the symbol's slot
 * beside its own entry, as a {@link SymbolStateSink}), drained by the stream's single flusher thread.
 * Bounded by {@code maxSymbols}: ticks of symbols beyond it are dropped and counted. Whatever the
 * tick rate, a drain yields at most one tick per symbol.
 *
 * <p>Concurrency: each symbol's slot holds the latest tick (written by any feed thread) and the tick
 * the last drain handed out (the flusher's own field). A symbol has changed when the two differ, so a
 * tick stored during a drain is either read by it or differs at the next one: no latest value is
 * lost, and the writer needs no "changed" mark to set.
 */
public final class TickCoalescer implements SymbolStateSink<Tick, Object> {
    private static final VarHandle LATEST;

    static {
        try {
            LATEST = MethodHandles.lookup().findVarHandle(Slot.class, "latest", Tick.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Slot {
        /** Written with release semantics by feed threads; read with acquire by the flusher and snapshots. */
        @SuppressWarnings("unused") // through LATEST
        private Tick latest;
        /** Flusher thread only: what the previous drain handed out. */
        private Tick drained;
    }

    /** The answer for a symbol beyond {@code maxSymbols}: never in the map, never drained. */
    private static final Slot FULL = new Slot();

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final int maxSymbols;
    private final LongAdder offered = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    public TickCoalescer(int maxSymbols) {
        this.maxSymbols = maxSymbols;
    }

    /** Keeps {@code tick} as its symbol's latest. Hot path. */
    public void offer(Tick tick) {
        accept(tick, slotOf(tick.symbol()));
    }

    @Override
    public void accept(Tick tick) {
        offer(tick);
    }

    /**
     * The symbol's slot (never removed), or {@link #FULL} when {@code maxSymbols} other symbols are
     * tracked: a symbol turned away stays turned away, so the producer may keep that answer too.
     */
    @Override
    public Object stateOf(Tick tick) {
        return slotOf(tick.symbol());
    }

    /** Always true: a slot is never removed. */
    @Override
    public boolean accept(Tick tick, Object state) {
        offered.increment();
        if (state == FULL) {
            rejected.increment();
        } else {
            // release: the tick's fields are visible to the flusher before the tick is; no fence needed
            // against the drain, which compares with what it handed out instead of clearing a mark
            LATEST.setRelease((Slot) state, tick);
        }
        return true;
    }

    private Slot slotOf(String symbol) {
        Slot slot = slots.get(symbol);
        if (slot == null) {
            slot = slots.size() < maxSymbols ? slots.computeIfAbsent(symbol, s -> new Slot()) : FULL;
        }
        return slot;
    }

    /** Flusher thread only: adds every tick changed since the previous drain to {@code out}. */
    public void drainChanged(List<Tick> out) {
        for (Slot slot : slots.values()) {
            Tick t = (Tick) LATEST.getAcquire(slot);
            if (t != slot.drained) {
                slot.drained = t;
                out.add(t);
            }
        }
    }

    /** The latest tick of every symbol seen (for a browser that resumes or just connected). */
    public void snapshot(List<Tick> out) {
        for (Slot slot : slots.values()) {
            Tick t = (Tick) LATEST.getAcquire(slot);
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
