package io.tickstock.core.event;

/**
 * The normalized view of a market event that most consumers use. Every {@link MarketEvent} is a
 * tick; {@link BasicTick} carries ticks that arrive from elsewhere (for example from Redis).
 */
public interface Tick {
    /** The ticker, upper case (e.g. {@code AAPL}). */
    String symbol();

    /** Trade price; close for aggregates; mid-quote for quotes (or the non-zero side); FMV value. */
    double price();

    /** Trade size; window volume for aggregates; 0 when the event has none. */
    long volume();

    /** Exchange timestamp in epoch milliseconds (window start for aggregates). */
    long timestamp();

    /** What kind of event this is ({@code T}, {@code Q}, {@code A} …). */
    EventType eventType();

    /** The connection the event arrived on, e.g. {@code connection_1}. */
    String connectionId();

    /** Where the data comes from, e.g. {@code massive}. */
    String source();
}
