package io.tickstock.core.bus;

import io.tickstock.core.event.Tick;

/**
 * A {@link TickSink} that keeps state per symbol (a last value, a coalescing slot) and lets the
 * producer keep a reference to that state beside its own entry for the symbol, so that the sink
 * needs no look-up of its own per tick. The connection manager asks {@link #stateOf} when its entry
 * for a ticker on a connection has no state for the sink yet (a new entry after a move or a
 * failover starts empty), and then passes the state back with every tick of that ticker
 * ({@link #accept(Tick, Object)}). Producers that keep no per-symbol entry call {@link #accept(Tick)},
 * which must do the same work with a look-up of its own, counters included. The manager only sees
 * a sink registered as itself: one wrapped in a lambda or {@link #andThen} is called the plain way.
 *
 * <p>On feed I/O threads: several connections may call these methods at once, for the same symbol
 * and with the same state. None may block.
 *
 * <p>Why: two map look-ups per event (the last-value store's and the dashboard coalescer's) were
 * about a sixth of the feed I/O thread's time in the gateway. The state of thousands of symbols is
 * seldom in the CPU's cache when a symbol's next tick comes, and a look-up touches several places
 * besides the state itself.
 *
 * @param <T> the kind of tick received
 * @param <S> the sink's state for one symbol
 */
public interface SymbolStateSink<T extends Tick, S> extends TickSink<T> {
    /**
     * The state for {@code tick}'s symbol, created if need be: the same state for the same symbol
     * whoever asks, as long as the sink keeps it. Null when the sink keeps none for the symbol (it is
     * full, or keeps nothing for this kind of tick); the producer then calls {@link #accept(Tick)} for
     * this tick and asks again with the next.
     */
    S stateOf(T tick);

    /**
     * Takes one tick with the state {@link #stateOf} returned for its symbol. Returns false when the
     * sink no longer keeps that state (e.g. evicted it): the tick has still been taken in full, and the
     * producer asks {@link #stateOf} again with the symbol's next tick.
     */
    boolean accept(T tick, S state);
}
