package io.tickstock.emulator;

/** How the emulator groups the per-item acknowledgements of one subscribe or unsubscribe message. */
public enum AckMode {
    /** All acks of a message in one frame. */
    BATCHED,
    /** One ack per frame. */
    SINGLE,
    /** Groups of seeded random size (1 to 64) per frame: both shapes seen on the real feed. */
    MIXED
}
