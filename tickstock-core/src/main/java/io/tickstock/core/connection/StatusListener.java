package io.tickstock.core.connection;

/** Told about every accepted status transition, on the thread that caused it: do not block. */
@FunctionalInterface
public interface StatusListener {
    void onStatusChange(StatusChange change);
}
