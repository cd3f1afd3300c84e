package io.tickstock.core.bus;

import io.tickstock.core.event.Tick;

/**
 * A {@link TickSink} that keeps state per symbol (a last value, a coalescing slot) and lets the
 * producer keep a reference to that state beside its own entry for the symbol, so that the sink
 * needs no look-up of its own per tick. The connection manager asks {@link #stateOf} once per
 * ticker and connection, then passes the state back with every tick of that ticker
 * ({@link #accept(Tick, Object)}); producers that keep no per-symbol entry call
 * {@link #accept(Tick)}, which must do the same with a look-up of its own.
 *
 * <p>A look-up per tick was a fifth of a feed I/O thread's time with three such sinks: the state of
 * thousands of symbols is seldom in the CPU's cache when a symbol's next tick comes, and a map
 * look-up touches several places besides the state itself.
 *
 * @param <T> the kind of tick received
 * @param <S> the sink's state for one symbol
 */
public interface SymbolStateSink<T extends Tick, S> extends TickSink<T> {
    /**
     * The state for {@code first}'s symbol, created if need be; null when the sink keeps none for it
     * (e.g. it is full), and then the producer calls {@link #accept(Tick)} for its ticks. Called on the
     * producer's thread, so it must not block.
     */
    S stateOf(T first);

    /** Takes one tick with the state {@link #stateOf} returned for its symbol. */
    void accept(T tick, S state);

    /**
     * Whether a state returned earlier is still the sink's state for its symbol; false once the sink
     * let it go (e.g. evicted it), and then the producer asks {@link #stateOf} again.
     */
    default boolean holds(S state) {
        return true;
    }
}
