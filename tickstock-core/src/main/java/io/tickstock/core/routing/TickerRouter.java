package io.tickstock.core.routing;

import java.util.List;

/** Chooses the connection for a ticker added at run time. */
@FunctionalInterface
public interface TickerRouter {
    /**
     * @param ticker     a validated ticker
     * @param candidates every enabled connection, ordered by slot index; never empty
     * @return the chosen connection id
     */
    String route(String ticker, List<RouteCandidate> candidates);
}
