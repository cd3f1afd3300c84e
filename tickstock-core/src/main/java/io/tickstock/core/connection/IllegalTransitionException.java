package io.tickstock.core.connection;

/** A status change the state machine does not allow. */
public final class IllegalTransitionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** A refused change of {@code connectionId} from {@code from} to {@code to}. */
    public IllegalTransitionException(String connectionId, ConnectionStatus from, ConnectionStatus to) {
        super(connectionId + ": illegal status transition " + from.wireName() + " -> " + to.wireName());
    }
}
