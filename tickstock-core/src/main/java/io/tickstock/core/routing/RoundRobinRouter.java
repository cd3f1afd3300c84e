package io.tickstock.core.routing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Cycles through the enabled connections in slot order. */
final class RoundRobinRouter implements TickerRouter {
    private final AtomicInteger cursor = new AtomicInteger();

    @Override
    public String route(String ticker, List<RouteCandidate> candidates) {
        int i = Math.floorMod(cursor.getAndIncrement(), candidates.size());
        return candidates.get(i).connectionId();
    }
}
