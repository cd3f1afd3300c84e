package io.tickstock.core.event;

/** The feed's event channels, by their wire prefix. */
public enum EventType {
    /** Trade. */
    T,
    /** NBBO quote. */
    Q,
    /** Per-second aggregate. */
    A,
    /** Per-minute aggregate. */
    AM,
    /** Limit up / limit down bands. */
    LULD,
    /** Fair market value (business feeds). */
    FMV;

    private static final EventType[] VALUES = values();

    /** The wire prefix ({@code T}, {@code AM} …), also used in subscription params. */
    public String code() {
        return name();
    }

    /** Parses a wire prefix; null when unknown. */
    public static EventType fromCode(String code) {
        for (EventType t : VALUES) {
            if (t.name().equals(code)) {
                return t;
            }
        }
        return null;
    }
}
