package io.tickstock.core.routing;

import java.util.List;

/**
 * Stable placement: a function of the ticker and the number of slots only, so every process (and
 * every node sharing a ticker set) puts a ticker on the same slot.
 */
final class HashRouter implements TickerRouter {
    @Override
    public String route(String ticker, List<RouteCandidate> candidates) {
        return candidates.get(slotOf(ticker, candidates.size())).connectionId();
    }

    /** {@link String#hashCode} is fixed by the language spec; the mix spreads similar tickers. */
    static int slotOf(String ticker, int slots) {
        int h = ticker.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, slots);
    }
}
