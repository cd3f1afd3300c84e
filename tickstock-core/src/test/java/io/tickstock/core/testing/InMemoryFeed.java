package io.tickstock.core.testing;

import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.connection.FeedClient;
import io.tickstock.core.connection.FeedClientFactory;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.event.Trade;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory market and the {@link FeedClient}s connected to it, for tests. {@link #trade}
 * publishes one trade (with the symbol's next sequence number) to every connected client
 * subscribed to the symbol, as the real feed does for several connections.
 */
public final class InMemoryFeed implements FeedClientFactory {
    private final Map<String, InMemoryFeedClient> clients = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();

    /** Stamps trades with {@code clock} (receive and exchange time) instead of the system clock. */
    public InMemoryFeed clock(java.time.Clock clock) {
        this.clock = clock;
        return this;
    }

    /** The client for {@code connectionId} will fail every connect with {@code message}. */
    public InMemoryFeed failConnect(String connectionId, String message) {
        failures.put(connectionId, message);
        return this;
    }

    @Override
    public FeedClient create(ConnectionConfig slot, FeedListener listener) {
        InMemoryFeedClient c = new InMemoryFeedClient(slot.id(), listener, failures.get(slot.id()));
        clients.put(slot.id(), c);
        return c;
    }

    public InMemoryFeedClient client(String connectionId) {
        InMemoryFeedClient c = clients.get(connectionId);
        if (c == null) {
            throw new IllegalArgumentException("no client " + connectionId);
        }
        return c;
    }

    public Set<String> connectionIds() {
        return Set.copyOf(clients.keySet());
    }

    /**
     * Publishes one trade of {@code symbol} to every connected subscribed client.
     *
     * @return how many clients received it
     */
    public int trade(String symbol, double price) {
        long seq = sequences.computeIfAbsent(symbol, s -> new AtomicLong()).incrementAndGet();
        return trade(symbol, price, seq, clock.millis());
    }

    /**
     * Publishes one trade with the given sequence number and exchange time (epoch ms) to every
     * connected client subscribed to the symbol (by name or {@code *}).
     *
     * @return how many clients received it
     */
    public int trade(String symbol, double price, long sequence, long timestampMillis) {
        int receivers = 0;
        for (InMemoryFeedClient c : List.copyOf(clients.values())) {
            if (c.receives(symbol)) {
                c.emit(new Trade(c.connectionId(), symbol, 4, Long.toString(sequence), price, 100, List.of(),
                        timestampMillis, sequence, 3, clock.millis()));
                receivers++;
            }
        }
        return receivers;
    }

    /** The sequence number of the last trade published for {@code symbol}. */
    public long lastSequence(String symbol) {
        AtomicLong a = sequences.get(symbol);
        return a == null ? 0 : a.get();
    }
}
