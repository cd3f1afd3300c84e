package io.tickstock.core.connection;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A consistent snapshot of one connection slot.
 *
 * @param id               {@code connection_<index>}
 * @param index            1-based slot number
 * @param enabled          false for configured-but-unused slots (they are listed with zero figures)
 * @param tickers          tickers assigned to this connection (primary or redundant), sorted; {@code ["*"]}
 *                         for a slot carrying the whole market
 * @param messageCount     events received on this connection, duplicates included
 * @param messagesPerSecond measured over the recent window (not a lifetime average)
 * @param lastMessageTimeMillis when the last event arrived, epoch milliseconds; null if nothing arrived yet
 * @param lastError        null if none
 * @param connectedSinceMillis start of the current session, epoch milliseconds; null when not connected
 * @param universeKey      the configured universe, if any
 * @param configSource     universe key or symbols, for display
 * @param tickerCount      tickers carried: the assigned ones, or for the whole market the distinct
 *                         tickers seen so far (bounded by {@code WEBSOCKET_SYMBOL_STATE_LIMIT})
 */
public record ConnectionInfo(String id, int index, String name, boolean enabled, ConnectionStatus status,
                             Set<String> tickers, long messageCount, double messagesPerSecond, long errorCount,
                             Long lastMessageTimeMillis, String lastError, Long connectedSinceMillis, String priority,
                             Optional<String> universeKey, String configSource, int tickerCount) {
    /** Copies {@code tickers} into a sorted, unmodifiable set. */
    public ConnectionInfo {
        // one sorted, unmodifiable copy: the order promised above survives (Set.copyOf would drop it)
        tickers = Collections.unmodifiableSortedSet(new TreeSet<>(tickers));
    }

    /** A connection whose ticker count is the size of its ticker set. */
    public ConnectionInfo(String id, int index, String name, boolean enabled, ConnectionStatus status,
                          Set<String> tickers, long messageCount, double messagesPerSecond, long errorCount,
                          Long lastMessageTimeMillis, String lastError, Long connectedSinceMillis, String priority,
                          Optional<String> universeKey, String configSource) {
        this(id, index, name, enabled, status, tickers, messageCount, messagesPerSecond, errorCount,
                lastMessageTimeMillis, lastError, connectedSinceMillis, priority, universeKey, configSource, tickers.size());
    }

    /** Whether the connection carries every ticker of its channels ({@code SYMBOLS=*}). */
    public boolean wholeMarket() {
        return tickers.size() == 1 && tickers.contains("*");
    }

    /** Whether the status is {@link ConnectionStatus#CONNECTED}. */
    public boolean connected() {
        return status == ConnectionStatus.CONNECTED;
    }
}
