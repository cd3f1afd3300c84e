package io.tickstock.admin.internal.auth;

import java.util.Optional;

/**
 * Password checks behind a per-client budget of failed attempts, shared by every route that takes a
 * password (the login form, HTTP Basic on the page, the API and {@code /admin-ws}). The budget is
 * taken <em>before</em> the password is hashed and given back when the check succeeds, so a client
 * out of budget costs no hashing at all, concurrent guesses cannot overdraw it, and legitimate users
 * are never charged.
 */
public final class CredentialCheck {
    /** What a password check came to. */
    public enum Result {
        ACCEPTED, REJECTED,
        /** The client is out of its failure budget. */
        LIMITED,
        /** Every permit of a {@link BoundedVerifier} was in use; not the client's fault, not charged. */
        BUSY
    }

    /**
     * @param principal         the user, when {@code ACCEPTED}
     * @param retryAfterSeconds for {@code LIMITED}: when the client may try again
     */
    public record Outcome(Result result, Principal principal, long retryAfterSeconds) {
        static final Outcome REJECTED = new Outcome(Result.REJECTED, null, 0);
    }

    private final UserDirectory users;
    private final RateLimiter failures;

    public CredentialCheck(UserDirectory users, RateLimiter failures) {
        this.users = users;
        this.failures = failures;
    }

    /** Checks {@code username}/{@code password} for a request from {@code client}. */
    public Outcome check(String client, String username, String password) {
        RateLimiter.Decision d = failures.tryAcquire(client);
        if (!d.allowed()) {
            return new Outcome(Result.LIMITED, null, d.retryAfterSeconds());
        }
        Optional<Principal> p;
        try {
            p = users.authenticate(username, password);
        } catch (BoundedVerifier.Busy e) {
            failures.refund(client);
            return new Outcome(Result.BUSY, null, 1);
        }
        if (p.isEmpty()) {
            return Outcome.REJECTED;
        }
        failures.refund(client);
        return new Outcome(Result.ACCEPTED, p.get(), 0);
    }

    public RateLimit failureLimit() {
        return failures.limit();
    }
}
