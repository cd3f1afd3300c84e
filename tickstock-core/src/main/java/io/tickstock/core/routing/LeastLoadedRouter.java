package io.tickstock.core.routing;

import java.util.Comparator;
import java.util.List;

/** The {@code manual} fallback: the connected connection with fewest tickers (any, if none is up). */
final class LeastLoadedRouter implements TickerRouter {
    private static final Comparator<RouteCandidate> ORDER =
            Comparator.comparing((RouteCandidate c) -> !c.connected())
                    .thenComparingInt(RouteCandidate::tickerCount)
                    .thenComparingInt(RouteCandidate::index);

    @Override
    public String route(String ticker, List<RouteCandidate> candidates) {
        return candidates.stream().min(ORDER).orElseThrow().connectionId();
    }
}
