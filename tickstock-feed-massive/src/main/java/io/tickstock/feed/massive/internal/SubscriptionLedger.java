package io.tickstock.feed.massive.internal;

import io.netty.util.concurrent.EventExecutor;
import io.tickstock.core.event.EventType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * What one connection is subscribed to: the ticker set (the single source of truth, replayed after
 * every authentication) and the calls waiting for the server's acknowledgements.
 *
 * <p>Owned by the connection's event loop: every method except {@link #snapshot()} must run on it
 * (checked), so a subscribe and an unsubscribe of the same ticker are applied, and sent, in the
 * order they were called. {@link #snapshot()} is an immutable copy published after each change.
 */
public final class SubscriptionLedger {
    private final EventExecutor loop;
    private final List<EventType> channels;
    private final Set<String> tickers = new HashSet<>();
    private volatile Set<String> snapshot = Set.of();
    private final Map<String, List<AckWaiter>> pendingSubscribe = new HashMap<>();
    private final Map<String, List<AckWaiter>> pendingUnsubscribe = new HashMap<>();

    public SubscriptionLedger(EventExecutor loop, List<EventType> channels) {
        this.loop = loop;
        this.channels = List.copyOf(channels);
    }

    /** The ticker set as of the last change; safe from any thread. */
    public Set<String> snapshot() {
        return snapshot;
    }

    public int size() {
        return snapshot.size();
    }

    /**
     * Adds tickers; {@code done} completes once the server has acknowledged every param.
     * Returns the params to send now (when authenticated).
     */
    public List<String> add(Collection<String> added, CompletableFuture<Void> done) {
        checkLoop();
        tickers.addAll(added);
        publish();
        List<String> params = params(added);
        AckWaiter w = new AckWaiter(params.size(), done);
        for (String p : params) {
            pendingSubscribe.computeIfAbsent(p, k -> new ArrayList<>(1)).add(w);
        }
        return params;
    }

    /**
     * Removes tickers. Online, {@code done} completes once the server has acknowledged every
     * param; offline at once (a closed session has no subscriptions). Returns the params to send.
     */
    public List<String> remove(Collection<String> removed, CompletableFuture<Void> done, boolean online) {
        checkLoop();
        removed.forEach(tickers::remove);
        publish();
        List<String> params = params(removed);
        for (String p : params) {
            ack(pendingSubscribe, p); // no longer wanted: a caller waiting for it is done
        }
        if (!online) {
            done.complete(null);
            return List.of();
        }
        AckWaiter w = new AckWaiter(params.size(), done);
        for (String p : params) {
            pendingUnsubscribe.computeIfAbsent(p, k -> new ArrayList<>(1)).add(w);
        }
        return params;
    }

    /** The params of the whole set, in a stable order: sent after every authentication. */
    List<String> replay() {
        checkLoop();
        return params(new TreeSet<>(tickers));
    }

    /** The server acknowledged a subscribe of {@code param}. */
    void subscribed(String param) {
        checkLoop();
        ack(pendingSubscribe, param);
    }

    /** The server acknowledged an unsubscribe of {@code param}. */
    void unsubscribed(String param) {
        checkLoop();
        ack(pendingUnsubscribe, param);
    }

    /**
     * The session ended: the server forgot its subscriptions, so pending unsubscribes are done;
     * pending subscribes wait for the replay of the next session.
     */
    public void sessionEnded() {
        checkLoop();
        for (List<AckWaiter> ws : pendingUnsubscribe.values()) {
            ws.forEach(w -> w.future.complete(null));
        }
        pendingUnsubscribe.clear();
    }

    /**
     * The client stopped (disconnected, halted or gave up): no acknowledgement will come, so every
     * waiting subscribe fails with {@code cause}; pending unsubscribes are done (nothing is subscribed).
     */
    public void stopped(Throwable cause) {
        sessionEnded();
        for (List<AckWaiter> ws : pendingSubscribe.values()) {
            ws.forEach(w -> w.future.completeExceptionally(cause));
        }
        pendingSubscribe.clear();
    }

    private List<String> params(Collection<String> forTickers) {
        List<String> params = new ArrayList<>(forTickers.size() * channels.size());
        for (EventType channelType : channels) {
            for (String t : forTickers) {
                params.add(channelType.code() + "." + t);
            }
        }
        return params;
    }

    private void publish() {
        snapshot = Set.copyOf(tickers);
    }

    private void checkLoop() {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("the subscription ledger is owned by its event loop");
        }
    }

    private static void ack(Map<String, List<AckWaiter>> pending, String param) {
        List<AckWaiter> waiters = pending.remove(param);
        if (waiters != null) {
            waiters.forEach(AckWaiter::acked);
        }
    }

    /** Completes one subscribe/unsubscribe call once every one of its params is acknowledged. */
    private static final class AckWaiter {
        private int remaining;
        private final CompletableFuture<Void> future;

        AckWaiter(int remaining, CompletableFuture<Void> future) {
            this.remaining = remaining;
            this.future = future;
            if (remaining == 0) {
                future.complete(null);
            }
        }

        void acked() {
            if (--remaining == 0) {
                future.complete(null);
            }
        }
    }
}
