package io.tickstock.core.connection;

import io.tickstock.core.internal.dedup.EventDeduplicator;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The distinct tickers seen on a whole-market connection, for its ticker count, each with its
 * {@link CarriedTicker} so that the event path needs one lookup: at most {@code limit} of them,
 * further ones counted as overflow, since the feed decides what arrives.
 */
final class SeenSymbols {
    private final ConcurrentHashMap<String, CarriedTicker> seen = new ConcurrentHashMap<>();
    private final int limit;
    private final LongAdder overflow = new LongAdder();

    SeenSymbols(int limit) {
        this.limit = limit;
    }

    /**
     * Records {@code symbol} as seen and returns its entry; null when the limit is reached (counted).
     * A new entry takes the windows {@code dedup} already holds for the symbol.
     */
    CarriedTicker record(String symbol, EventDeduplicator dedup) {
        CarriedTicker c = seen.get(symbol);
        if (c != null) {
            return c;
        }
        if (seen.size() >= limit) {
            overflow.increment();
            return null;
        }
        // racing adders may pass the limit by a few: a bound, not an exact cap
        CarriedTicker fresh = new CarriedTicker(null, null);
        c = seen.putIfAbsent(symbol, fresh);
        if (c != null) {
            return c;
        }
        // after publishing the entry: sharing changed later finds it and sets it; earlier is read here
        fresh.attachIfNone(dedup.windowsOf(symbol));
        return fresh;
    }

    /** The entry of {@code symbol} if it was seen, else null. */
    CarriedTicker get(String symbol) {
        return seen.get(symbol);
    }

    int count() {
        return seen.size();
    }

    long overflow() {
        return overflow.sum();
    }
}
