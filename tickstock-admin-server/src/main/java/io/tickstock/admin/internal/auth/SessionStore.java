package io.tickstock.admin.internal.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions: random 256-bit tokens held in memory, expiring after an idle period. Bounded:
 * when full, expired sessions are purged, then the least recently used one is dropped. Thread-safe.
 */
public final class SessionStore {
    /** Cookie carrying the session token. */
    public static final String COOKIE = "tickstock_session";

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final class Entry {
        final Principal principal;
        volatile Instant lastSeen;

        Entry(Principal principal, Instant lastSeen) {
            this.principal = principal;
            this.lastSeen = lastSeen;
        }
    }

    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Duration idleTimeout;
    private final int maxSessions;
    private final Clock clock;

    public SessionStore(Duration idleTimeout, int maxSessions, Clock clock) {
        this.idleTimeout = idleTimeout;
        this.maxSessions = maxSessions;
        this.clock = clock;
    }

    /** Opens a session and returns its token. */
    public String create(Principal principal) {
        Instant now = clock.instant();
        if (sessions.size() >= maxSessions) {
            sessions.entrySet().removeIf(e -> expired(e.getValue(), now));
            while (sessions.size() >= maxSessions) {
                sessions.entrySet().stream()
                        .min((a, b) -> a.getValue().lastSeen.compareTo(b.getValue().lastSeen))
                        .ifPresent(oldest -> sessions.remove(oldest.getKey()));
            }
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(token, new Entry(principal, now));
        return token;
    }

    /** The session's principal, refreshing its idle timer; empty when unknown or expired. */
    public Optional<Principal> lookup(String token) {
        if (token == null || token.isEmpty() || token.length() > 64) {
            return Optional.empty();
        }
        Entry e = sessions.get(token);
        if (e == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(e, now)) {
            sessions.remove(token, e);
            return Optional.empty();
        }
        e.lastSeen = now;
        return Optional.of(e.principal);
    }

    /** Whether the session is still open, without counting this as activity (for open sockets). */
    public boolean active(String token) {
        Entry e = token == null ? null : sessions.get(token);
        if (e == null) {
            return false;
        }
        if (expired(e, clock.instant())) {
            sessions.remove(token, e);
            return false;
        }
        return true;
    }

    public void invalidate(String token) {
        if (token != null) {
            sessions.remove(token);
        }
    }

    public int size() {
        return sessions.size();
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    private boolean expired(Entry e, Instant now) {
        return e.lastSeen.plus(idleTimeout).isBefore(now);
    }
}
