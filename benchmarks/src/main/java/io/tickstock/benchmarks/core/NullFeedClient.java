package io.tickstock.benchmarks.core;

import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedClient;
import io.tickstock.core.connection.FeedListener;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** A feed client that connects at once and does nothing else; benchmarks drive its listener directly. */
public final class NullFeedClient implements FeedClient {
    private final ConnectionConfig slot;
    private final FeedListener listener;
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();

    public NullFeedClient(ConnectionConfig slot, FeedListener listener) {
        this.slot = slot;
        this.listener = listener;
    }

    public FeedListener listener() {
        return listener;
    }

    @Override
    public String connectionId() {
        return slot.id();
    }

    @Override
    public CompletableFuture<Void> connect() {
        listener.onStatus(ConnectionStatus.CONNECTING, null);
        listener.onStatus(ConnectionStatus.CONNECTED, null);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        listener.onStatus(ConnectionStatus.DISCONNECTED, "stopped");
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> reconnect() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> subscribe(Collection<String> tickers) {
        subscriptions.addAll(tickers);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(Collection<String> tickers) {
        subscriptions.removeAll(tickers);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Set<String> subscriptions() {
        return Set.copyOf(subscriptions);
    }
}
