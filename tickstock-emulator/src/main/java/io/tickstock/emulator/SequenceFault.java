package io.tickstock.emulator;

/** A disturbance of the per-ticker sequence number {@code q}, as seen on the real feed. */
public enum SequenceFault {
    /** The event is sent twice, with the same {@code q}. */
    DUPLICATE,
    /** {@code q} jumps forward by {@link FaultSwitches#gapSize()} and carries on from there. */
    GAP,
    /** This one event carries a {@code q} two below the previous one. */
    BACKWARDS
}
