package io.tickstock.core.connection;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One feed connection (SPI). The Massive module implements it over Netty; tests implement it in
 * memory. The client owns its subscription set: it is sent after every successful authentication,
 * so callers may subscribe before {@link #connect()} and never resubscribe after a reconnect.
 * Status changes and events go to the {@link FeedListener} given at creation.
 *
 * <p>Every method is non-blocking: it starts the work and returns at once; the returned future
 * tells how it ended. Implementations complete futures off the caller's stack or on it (when the
 * answer is known at once), so callers must not hold a lock in their completion stages that the
 * client's own thread may need. Futures never stay pending for ever:
 * <ul>
 *   <li>{@link #connect()} fails when the first attempt fails, when the client halts (e.g. the key
 *       is refused) or gives up retrying, and when {@link #disconnect()} comes first;</li>
 *   <li>{@link #subscribe} futures fail when the client halts or gives up (their tickers stay in
 *       the subscription set for a later {@link #connect()}), and when the tickers are
 *       unsubscribed before they are acknowledged they complete normally;</li>
 *   <li>{@link #unsubscribe} futures complete normally once the tickers are out of the set and
 *       either acknowledged or there is no session to acknowledge them;</li>
 *   <li>{@link #disconnect()} and {@link #reconnect()} futures complete when the socket is closed
 *       (and, for reconnect, a new attempt is started) and fail only when the client's own thread
 *       is already gone.</li>
 * </ul>
 */
public interface FeedClient extends AutoCloseable {
    /** The connection id, e.g. {@code connection_2}. */
    String connectionId();

    /**
     * Starts connecting. The future completes when the first session is authenticated and fails
     * when the first attempt fails, when the client halts and when it is disconnected first; the
     * client keeps retrying transient failures by its reconnect policy until {@link #disconnect()}.
     */
    CompletableFuture<Void> connect();

    /**
     * Stops for good (until the next {@link #connect()}); status becomes {@code disconnected}.
     * The future completes once the session is closed; a pending {@link #connect()} future fails.
     */
    CompletableFuture<Void> disconnect();

    /**
     * Drops the current session and connects again at once (operator action); connects when
     * stopped. The future completes once the new attempt has started, not when it succeeds.
     */
    CompletableFuture<Void> reconnect();

    /**
     * Adds tickers to the subscription set and sends them when authenticated.
     * The future completes when the server has acknowledged every one of them, and fails when
     * the client halts or gives up before that.
     */
    CompletableFuture<Void> subscribe(Collection<String> tickers);

    /** Removes tickers from the subscription set; the future completes when acknowledged (or at once when offline). */
    CompletableFuture<Void> unsubscribe(Collection<String> tickers);

    /** The current subscription set (a snapshot or a read-only view). */
    Set<String> subscriptions();

    /**
     * Starts {@link #disconnect()} and releases what the client alone owns; does not wait for the
     * session to close (owners that must wait use the future of {@link #disconnect()}).
     */
    @Override
    default void close() {
        disconnect();
    }
}
