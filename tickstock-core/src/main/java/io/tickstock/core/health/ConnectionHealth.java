package io.tickstock.core.health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connection in the health snapshot. {@code lastMessageTime} is epoch seconds, null if none.
 */
public record ConnectionHealth(String name, String status, int assignedTickers, long messageCount, long errorCount,
                               Double lastMessageTime, double messagesPerSecond, String lastError,
                               Double connectedSince, String priority, boolean stale) {

    /** The snake_case JSON shape; the first six names are a contract and never change. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("status", status);
        m.put("assigned_tickers", assignedTickers);
        m.put("message_count", messageCount);
        m.put("error_count", errorCount);
        m.put("last_message_time", lastMessageTime);
        m.put("messages_per_second", messagesPerSecond);
        m.put("last_error", lastError);
        m.put("connected_since", connectedSince);
        m.put("priority", priority);
        m.put("stale", stale);
        return m;
    }
}
