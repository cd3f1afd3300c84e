package io.tickstock.admin.gateway;

import io.tickstock.core.event.EventType;
import io.tickstock.core.event.Tick;

/**
 * A tick relayed from another gateway node through Redis, stamped with the time this admin server
 * received it: the page's time column shows receive time, and the Redis message carries only the
 * exchange time.
 *
 * @param receivedAt epoch milliseconds when this process read the tick from Redis
 */
public record RelayedTick(String symbol, double price, long volume, long timestamp, EventType eventType,
                          String connectionId, String source, long receivedAt) implements Tick {
}
