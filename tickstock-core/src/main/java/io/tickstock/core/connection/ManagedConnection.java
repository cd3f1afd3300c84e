package io.tickstock.core.connection;

import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.internal.health.RateMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The manager's side of one enabled slot: its client, status state machine, counters and assigned
 * tickers. It is the client's {@link FeedListener}.
 *
 * <p>Concurrency: counters are updated on the client's I/O thread without locks; status changes
 * are compare-and-set; {@link #carried} (and so {@link #tickers}) is changed only by {@code Placement}
 * on the control queue, and read by the I/O thread with one lookup per event.
 */
final class ManagedConnection implements FeedListener {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedConnection.class);

    final ConnectionConfig config;
    final String id;
    /** The assigned tickers, each with what the event path needs of it. */
    final ConcurrentHashMap<String, CarriedTicker> carried = new ConcurrentHashMap<>();
    /** A read-only view of the assigned tickers (add through {@code Placement}). */
    final Set<String> tickers = Collections.unmodifiableSet(carried.keySet());
    /** Distinct tickers seen, for a slot configured with {@code *}; null for other slots. */
    final SeenSymbols seen;
    /** Whether it carries the whole market now: configured so, or standing in for such a slot. */
    volatile boolean wholeMarket;
    final RateMeter rate = new RateMeter(6);
    private final MultiConnectionManager manager;
    private final AtomicReference<ConnectionStatus> status = new AtomicReference<>(ConnectionStatus.DISCONNECTED);
    private final LongAdder messages = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong lastMessageAt = new AtomicLong();
    private final LongAdder rejectedTransitions = new LongAdder();
    private volatile String lastError;
    private volatile Instant connectedSince;
    private volatile boolean stale;
    private final Clock clock;
    FeedClient client;

    ManagedConnection(ConnectionConfig config, MultiConnectionManager manager, int symbolLimit, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.id = config.id();
        this.manager = manager;
        this.wholeMarket = config.wholeMarket();
        this.seen = wholeMarket ? new SeenSymbols(symbolLimit) : null;
    }

    @Override
    public void onEvent(MarketEvent event) {
        messages.increment();
        lastMessageAt.lazySet(event.receivedAt());
        manager.dispatch(this, event);
    }

    /** Whether the connection carries {@code symbol}: assigned to it, or it carries the whole market. */
    boolean carries(String symbol) {
        return wholeMarket || carried.containsKey(symbol);
    }

    @Override
    public void onStatus(ConnectionStatus next, String message) {
        transition(next, message);
    }

    @Override
    public void onError(String message) {
        errors.increment();
        lastError = message;
    }

    /**
     * Applies a transition if the state machine allows it and reports it to the manager. Moving to
     * the current state is a no-op; an illegal move is rejected (logged and counted).
     *
     * @return whether the status changed
     */
    boolean transition(ConnectionStatus next, String message) {
        while (true) {
            ConnectionStatus current = status.get();
            if (current == next) {
                return false;
            }
            if (!current.canTransitionTo(next)) {
                rejectedTransitions.increment();
                LOG.warn("{}", new IllegalTransitionException(id, current, next).getMessage());
                return false;
            }
            if (status.compareAndSet(current, next)) {
                if (next == ConnectionStatus.ERROR) {
                    errors.increment();
                    lastError = message;
                }
                Instant now = clock.instant();
                connectedSince = next == ConnectionStatus.CONNECTED ? now : null;
                if (next == ConnectionStatus.CONNECTED) {
                    stale = false;
                }
                manager.onStatusChange(this, new StatusChange(id, current, next, message, now.toEpochMilli()));
                return true;
            }
        }
    }

    ConnectionStatus status() {
        return status.get();
    }

    boolean isConnected() {
        return status.get() == ConnectionStatus.CONNECTED;
    }

    long messageCount() {
        return messages.sum();
    }

    long errorCount() {
        return errors.sum();
    }

    long rejectedTransitions() {
        return rejectedTransitions.sum();
    }

    long lastMessageMillis() {
        return lastMessageAt.get();
    }

    String lastError() {
        return lastError;
    }

    Instant connectedSince() {
        return connectedSince;
    }

    boolean stale() {
        return stale;
    }

    void markStale(boolean value) {
        stale = value;
    }
}
