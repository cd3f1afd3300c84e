package io.tickstock.admin.internal.auth;

/** An authenticated user. */
public record Principal(String username, Role role) {
    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
