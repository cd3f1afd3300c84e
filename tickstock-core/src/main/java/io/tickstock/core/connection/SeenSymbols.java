package io.tickstock.core.connection;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The distinct tickers seen on a whole-market connection, for its ticker count: at most
 * {@code limit} of them, further ones counted as overflow, since the feed decides what arrives.
 */
final class SeenSymbols {
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final int limit;
    private final LongAdder overflow = new LongAdder();

    SeenSymbols(int limit) {
        this.limit = limit;
    }

    void record(String symbol) {
        if (seen.contains(symbol)) {
            return;
        }
        if (seen.size() >= limit) {
            overflow.increment();
            return;
        }
        seen.add(symbol); // racing adders may pass the limit by a few: a bound, not an exact cap
    }

    int count() {
        return seen.size();
    }

    long overflow() {
        return overflow.sum();
    }
}
