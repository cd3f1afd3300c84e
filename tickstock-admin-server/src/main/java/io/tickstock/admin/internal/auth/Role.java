package io.tickstock.admin.internal.auth;

import java.util.Locale;

/** What a user may do: {@code admin} sees and acts on everything, {@code viewer} is authenticated but not allowed into the admin pages. */
public enum Role {
    ADMIN, VIEWER;

    /** Parses {@code admin} / {@code viewer} (case-insensitive). */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(text.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "' (allowed: admin, viewer)");
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
