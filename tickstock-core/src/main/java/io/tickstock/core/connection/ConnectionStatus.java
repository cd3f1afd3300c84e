package io.tickstock.core.connection;

import java.util.Locale;

/**
 * The life of a connection: {@code disconnected → connecting → connected},
 * {@code connecting/connected → error → connecting} (retry), and any state {@code → disconnected} on stop.
 */
public enum ConnectionStatus {
    /** Not connected and not trying: before the first connect, and after a stop. */
    DISCONNECTED,
    /** Opening the socket, the WebSocket handshake or authentication. */
    CONNECTING,
    /** Authenticated: events flow. */
    CONNECTED,
    /** Lost or failed; retrying unless the message says it gave up. */
    ERROR;

    /** Whether the state machine allows moving from this state to {@code next}. */
    public boolean canTransitionTo(ConnectionStatus next) {
        return switch (next) {
            case DISCONNECTED -> this != DISCONNECTED;
            case CONNECTING -> this == DISCONNECTED || this == ERROR;
            case CONNECTED -> this == CONNECTING;
            case ERROR -> this == CONNECTING || this == CONNECTED;
        };
    }

    /** Lower-case name used in JSON and on the page. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
