package io.tickstock.core.routing;

import java.util.Comparator;
import java.util.List;

/** The connected connection with the lowest measured message rate; ties go to fewer tickers. */
final class LoadBalancedRouter implements TickerRouter {
    private static final Comparator<RouteCandidate> ORDER =
            Comparator.comparing((RouteCandidate c) -> !c.connected())
                    .thenComparingDouble(RouteCandidate::messageRate)
                    .thenComparingInt(RouteCandidate::tickerCount)
                    .thenComparingInt(RouteCandidate::index);

    @Override
    public String route(String ticker, List<RouteCandidate> candidates) {
        return candidates.stream().min(ORDER).orElseThrow().connectionId();
    }
}
