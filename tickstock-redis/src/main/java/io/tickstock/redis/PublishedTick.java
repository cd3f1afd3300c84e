package io.tickstock.redis;

import io.tickstock.core.event.EventType;
import io.tickstock.core.event.Tick;

/**
 * A tick as read back from Redis: the normalized fields plus the event's sequence ({@code q} for
 * trades, quotes and LULD; {@link io.tickstock.core.event.MarketEvent#NO_SEQUENCE} when the message has
 * none), so that consumers in another process can still spot duplicates and gaps.
 */
public record PublishedTick(String symbol, double price, long volume, long timestamp, EventType eventType,
                            String connectionId, String source, long sequence) implements Tick {
}
