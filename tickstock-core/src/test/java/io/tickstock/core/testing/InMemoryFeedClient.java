package io.tickstock.core.testing;

import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedClient;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.event.MarketEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link FeedClient} that connects at once (or fails with a set message), acknowledges
 * subscriptions at once while connected, and can be dropped and restored by the test.
 */
public final class InMemoryFeedClient implements FeedClient {
    private final String connectionId;
    private final FeedListener listener;
    private final String failure;
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    private final List<CompletableFuture<Void>> pendingAcks = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private volatile ConnectionStatus status = ConnectionStatus.DISCONNECTED;
    private volatile boolean holdAcks;

    InMemoryFeedClient(String connectionId, FeedListener listener, String failure) {
        this.connectionId = connectionId;
        this.listener = listener;
        this.failure = failure;
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public synchronized CompletableFuture<Void> connect() {
        record("connect");
        report(ConnectionStatus.CONNECTING, null);
        if (failure != null) {
            report(ConnectionStatus.ERROR, failure);
            return CompletableFuture.failedFuture(new IllegalStateException(failure));
        }
        report(ConnectionStatus.CONNECTED, null);
        releaseAcks();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> disconnect() {
        record("disconnect");
        report(ConnectionStatus.DISCONNECTED, "stopped");
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> reconnect() {
        record("reconnect");
        drop("reconnect requested");
        restore();
        return CompletableFuture.completedFuture(null);
    }

    /** Simulates a client that gives up: status error and every pending subscribe future fails. */
    public synchronized void halt(String message) {
        report(ConnectionStatus.ERROR, message);
        pendingAcks.forEach(f -> f.completeExceptionally(new IllegalStateException(message)));
        pendingAcks.clear();
    }

    /** Simulates a lost connection: status error, no events until {@link #restore()}. */
    public synchronized void drop(String message) {
        report(ConnectionStatus.ERROR, message);
    }

    /** Reconnects after a {@link #drop}: connecting, then connected, then pending acks complete. */
    public synchronized void restore() {
        report(ConnectionStatus.CONNECTING, null);
        report(ConnectionStatus.CONNECTED, null);
        releaseAcks();
    }

    /** While held, subscribe futures stay pending (a slow server). */
    public synchronized void holdAcks(boolean hold) {
        holdAcks = hold;
        if (!hold) {
            releaseAcks();
        }
    }

    @Override
    public synchronized CompletableFuture<Void> subscribe(Collection<String> tickers) {
        record("subscribe " + String.join(",", new TreeSet<>(tickers)));
        subscriptions.addAll(tickers);
        CompletableFuture<Void> ack = new CompletableFuture<>();
        pendingAcks.add(ack);
        releaseAcks();
        return ack;
    }

    @Override
    public synchronized CompletableFuture<Void> unsubscribe(Collection<String> tickers) {
        record("unsubscribe " + String.join(",", new TreeSet<>(tickers)));
        subscriptions.removeAll(tickers);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Set<String> subscriptions() {
        return Set.copyOf(subscriptions);
    }

    /** Reports a raw status to the listener, legal or not (to test the state machine). */
    public void report(ConnectionStatus next, String message) {
        status = next;
        listener.onStatus(next, message);
    }

    /** Delivers an event as if it came off the wire. */
    public void emit(MarketEvent event) {
        listener.onEvent(event);
    }

    public void reportError(String message) {
        listener.onError(message);
    }

    boolean receives(String symbol) {
        return status == ConnectionStatus.CONNECTED && (subscriptions.contains(symbol) || subscriptions.contains("*"));
    }

    public ConnectionStatus status() {
        return status;
    }

    /** Every call made to this client, in order ("connect", "subscribe AAPL,MSFT" …). */
    public synchronized List<String> calls() {
        return List.copyOf(log);
    }

    private void releaseAcks() {
        if (status == ConnectionStatus.CONNECTED && !holdAcks) {
            pendingAcks.forEach(f -> f.complete(null));
            pendingAcks.clear();
        }
    }

    private void record(String call) {
        log.add(call);
    }
}
