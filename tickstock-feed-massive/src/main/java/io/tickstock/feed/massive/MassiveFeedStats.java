package io.tickstock.feed.massive;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters of one Massive connection since the client was created.
 *
 * @param frames            data and status frames received
 * @param bytes             payload bytes of those frames (after decompression)
 * @param events            market events decoded and handed to the listener
 * @param unknownEvents     events of a type this client does not know, skipped
 * @param unknownFields     fields this client does not know, skipped
 * @param malformedFrames   frames that were not valid JSON, skipped (the connection is kept)
 * @param invalidEvents     events skipped as invalid: no event type, a missing or bad symbol, a missing
 *                          required field, or a price, size, time or sequence that is not a finite
 *                          number of at least zero
 * @param sessions          connection attempts
 * @param reconnects        attempts after the first
 * @param evictions         {@code max_connections} evictions by another client using the same key
 * @param silenceRecycles   connections closed because nothing arrived for the silence timeout
 * @param pingsSent         WebSocket pings sent
 * @param controlMessages   auth, subscribe and unsubscribe messages sent
 * @param listenerErrors    events whose listener threw (the event is lost for that listener, the connection stays)
 * @param subscribedTickers size of the subscription set
 */
public record MassiveFeedStats(String connectionId, String status, long frames, long bytes, long events,
                               long unknownEvents, long unknownFields, long malformedFrames, long invalidEvents,
                               long sessions, long reconnects, long evictions, long silenceRecycles, long pingsSent,
                               long controlMessages, long listenerErrors, int subscribedTickers) {

    /** The snake_case shape used in the health snapshot. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("frames", frames);
        m.put("bytes", bytes);
        m.put("events", events);
        m.put("unknown_events", unknownEvents);
        m.put("unknown_fields", unknownFields);
        m.put("malformed_frames", malformedFrames);
        m.put("invalid_events", invalidEvents);
        m.put("sessions", sessions);
        m.put("reconnects", reconnects);
        m.put("evictions", evictions);
        m.put("silence_recycles", silenceRecycles);
        m.put("pings_sent", pingsSent);
        m.put("control_messages", controlMessages);
        m.put("listener_errors", listenerErrors);
        m.put("subscribed_tickers", subscribedTickers);
        return m;
    }
}
