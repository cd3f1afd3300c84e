package io.tickstock.core.routing;

/**
 * What a router knows of one enabled connection when placing a ticker.
 *
 * @param index        1-based slot number (routers order by it)
 * @param connected    whether the connection is up right now
 * @param tickerCount  tickers currently assigned
 * @param messageRate  measured messages per second over the recent window
 */
public record RouteCandidate(String connectionId, int index, boolean connected, int tickerCount, double messageRate) {
}
