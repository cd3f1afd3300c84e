package io.tickstock.feed.massive;

/** A connection to the Massive feed failed; the message says why (never contains the API key). */
public final class MassiveFeedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A feed failure described by {@code message} (never containing the API key). */
    public MassiveFeedException(String message) {
        super(message);
    }
}
