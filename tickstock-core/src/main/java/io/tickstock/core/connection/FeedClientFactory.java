package io.tickstock.core.connection;

import io.tickstock.core.config.ConnectionConfig;

/** Makes the {@link FeedClient} for one enabled slot. */
@FunctionalInterface
public interface FeedClientFactory {
    FeedClient create(ConnectionConfig slot, FeedListener listener);
}
