package io.tickstock.core.connection;

/** Told about every accepted status transition, on the thread that caused it: do not block. */
@FunctionalInterface
public interface StatusListener {
    /** Called for every accepted transition, on the thread that saw it (a feed I/O thread); must not block. */
    void onStatusChange(StatusChange change);
}
