package io.tickstock.core.health;

import io.tickstock.core.internal.health.EpochSeconds;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connection in the health snapshot. Times are epoch milliseconds, null if none; the JSON shape
 * ({@link #toMap()}) gives them in epoch seconds with millisecond decimals, as documented.
 *
 * @param lastMessageTimeMillis when the last event arrived, null if none yet
 * @param connectedSinceMillis  start of the current session, null when not connected
 */
public record ConnectionHealth(String name, String status, int assignedTickers, long messageCount, long errorCount,
                               Long lastMessageTimeMillis, double messagesPerSecond, String lastError,
                               Long connectedSinceMillis, String priority, boolean stale) {

    /** The snake_case JSON shape; the first six names are a contract and never change. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("status", status);
        m.put("assigned_tickers", assignedTickers);
        m.put("message_count", messageCount);
        m.put("error_count", errorCount);
        m.put("last_message_time", EpochSeconds.of(lastMessageTimeMillis));
        m.put("messages_per_second", messagesPerSecond);
        m.put("last_error", lastError);
        m.put("connected_since", EpochSeconds.of(connectedSinceMillis));
        m.put("priority", priority);
        m.put("stale", stale);
        return m;
    }
}
