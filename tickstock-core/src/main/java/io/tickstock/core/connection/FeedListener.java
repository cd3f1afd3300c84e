package io.tickstock.core.connection;

import io.tickstock.core.event.MarketEvent;

/**
 * How a {@link FeedClient} reports to its owner. Called on the client's I/O thread, never from two
 * threads at once for one client (the manager keeps per-ticker state for each client that relies on
 * it): implementations count and hand over, never block.
 */
public interface FeedListener {
    /** A decoded event; its {@code connectionId} is the client's. */
    void onEvent(MarketEvent event);

    /** The connection moved to {@code status}; {@code message} says why (server text for errors), may be null. */
    void onStatus(ConnectionStatus status, String message);

    /** Something went wrong without changing the status (a malformed frame, an unknown event …). */
    void onError(String message);
}
