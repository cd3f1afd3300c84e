package io.tickstock.core.capture;

/**
 * One frame as a connection received it.
 *
 * @param connectionId the connection that received it ({@code connection_1} …)
 * @param receivedAt   local receive time, epoch milliseconds
 * @param text         the frame's payload, byte for byte (normally a JSON array)
 */
public record CapturedFrame(String connectionId, long receivedAt, byte[] text) {
}
