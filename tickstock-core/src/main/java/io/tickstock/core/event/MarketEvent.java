package io.tickstock.core.event;

/**
 * What the feed sends, decoded. Each event carries the connection it arrived on and the local
 * receive time, and is also a normalized {@link Tick}.
 */
public sealed interface MarketEvent extends Tick permits Trade, Quote, Aggregate, LimitUpDown, FairMarketValue {
    /** Sequence used for de-duplication and gap detection, or {@link #NO_SEQUENCE}. */
    long NO_SEQUENCE = -1;

    /** Local receive time, epoch milliseconds. */
    long receivedAt();

    /**
     * The per-symbol, per-type sequence: {@code q} for trades, quotes and LULD; the window index
     * (start divided by the window length) for aggregates; the timestamp for FMV.
     */
    long sequence();

    /**
     * Whether a jump in {@link #sequence()} counts as a gap ({@code q} of trades, quotes, LULD). Massive
     * documents {@code q} as increasing per ticker but not always consecutive, so gaps are reported,
     * never acted on.
     */
    default boolean hasDenseSequence() {
        return sequence() != NO_SEQUENCE;
    }

    @Override
    default String source() {
        return "massive";
    }
}
