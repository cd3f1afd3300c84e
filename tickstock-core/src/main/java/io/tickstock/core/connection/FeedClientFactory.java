package io.tickstock.core.connection;

import io.tickstock.core.config.ConnectionConfig;

/** Makes the {@link FeedClient} for one enabled slot. */
@FunctionalInterface
public interface FeedClientFactory {
    /** A new, not yet connected client for {@code slot} that reports to {@code listener}. */
    FeedClient create(ConnectionConfig slot, FeedListener listener);
}
