package io.tickstock.core.connection;

/**
 * One accepted status transition of one connection.
 *
 * @param connectionId the connection ({@code connection_<index>}, or {@code <node>/connection_<index>} for a node's)
 * @param from         the status before
 * @param to           the status after
 * @param message      why (the server's text for errors); may be null
 * @param atMillis     when the transition happened, epoch milliseconds
 */
public record StatusChange(String connectionId, ConnectionStatus from, ConnectionStatus to, String message,
                           long atMillis) {
}
