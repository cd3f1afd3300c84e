package io.tickstock.core.lastvalue;

import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;

/**
 * The latest trade and quote of one symbol; either may be null when none has arrived yet. Each event
 * carries its own timestamp and sequence: the point from which a consumer follows the live stream
 * (see {@link TickOrder}).
 */
public record LastValue(String symbol, Trade trade, Quote quote) {
}
