package io.tickstock.core.connection;

import java.time.Instant;

/** One accepted status transition of one connection. {@code message} explains errors; may be null. */
public record StatusChange(String connectionId, ConnectionStatus from, ConnectionStatus to, String message,
                           Instant at) {
}
