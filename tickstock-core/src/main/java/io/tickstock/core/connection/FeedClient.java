package io.tickstock.core.connection;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One feed connection (SPI). The Massive module implements it over Netty; tests implement it in
 * memory. The client owns its subscription set: it is sent after every successful authentication,
 * so callers may subscribe before {@link #connect()} and never resubscribe after a reconnect.
 * Status changes and events go to the {@link FeedListener} given at creation.
 */
public interface FeedClient extends AutoCloseable {
    /** The connection id, e.g. {@code connection_2}. */
    String connectionId();

    /**
     * Starts connecting. The future completes when the first session is authenticated and fails
     * when the first attempt fails; either way the client keeps retrying transient failures by its
     * reconnect policy until {@link #disconnect()}.
     */
    CompletableFuture<Void> connect();

    /** Stops for good (until the next {@link #connect()}); status becomes {@code disconnected}. */
    void disconnect();

    /** Drops the current session and connects again at once (operator action). */
    void reconnect();

    /**
     * Adds tickers to the subscription set and sends them when authenticated.
     * The future completes when the server has acknowledged every one of them.
     */
    CompletableFuture<Void> subscribe(Collection<String> tickers);

    /** Removes tickers from the subscription set; the future completes when acknowledged (or at once when offline). */
    CompletableFuture<Void> unsubscribe(Collection<String> tickers);

    /** The current subscription set. */
    Set<String> subscriptions();

    /** Same as {@link #disconnect()}, and releases the client's resources. */
    @Override
    default void close() {
        disconnect();
    }
}
