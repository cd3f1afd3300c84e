package io.tickstock.admin.auth;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.security.BasicAuthCredentials;
import io.tickstock.admin.audit.AuditLog;
import io.tickstock.admin.metrics.AdminMetrics;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Who may do what, in one place: authenticates a request (session cookie for browsers, HTTP Basic
 * for API clients), applies the per-client rate limits, requires the admin role, and writes one
 * audit line for every access or rejection. Routes stay one-liners wrapped by {@link #page},
 * {@link #api} and {@link #beforeWsUpgrade}.
 */
public final class AccessGuard {
    /** Context attribute holding the authenticated {@link Principal}. */
    public static final String PRINCIPAL = "tickstock.principal";
    public static final String LOGIN_PATH = "/login";

    private final UserDirectory users;
    private final SessionStore sessions;
    private final RateLimiter apiLimiter;
    private final RateLimiter wsLimiter;
    private final AuditLog audit;
    private final AdminMetrics metrics;

    public AccessGuard(UserDirectory users, SessionStore sessions, RateLimiter apiLimiter, RateLimiter wsLimiter,
                       AuditLog audit, AdminMetrics metrics) {
        this.users = users;
        this.sessions = sessions;
        this.apiLimiter = apiLimiter;
        this.wsLimiter = wsLimiter;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** The caller, from the session cookie or else HTTP Basic. */
    public Optional<Principal> authenticate(Context ctx) {
        Optional<Principal> fromCookie = sessions.lookup(ctx.cookie(SessionStore.COOKIE));
        if (fromCookie.isPresent()) {
            return fromCookie;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        BasicAuthCredentials creds;
        try {
            creds = ctx.basicAuthCredentials();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return creds == null ? Optional.empty() : users.authenticate(creds.getUsername(), creds.getPassword());
    }

    /** A dashboard page: anonymous browsers are sent to the login page. */
    public Handler page(String action, Handler handler) {
        return ctx -> {
            if (!rateAllowed(ctx, apiLimiter, action)) {
                return;
            }
            Optional<Principal> p = authenticate(ctx);
            if (p.isEmpty()) {
                record(ctx, null, action, "unauthenticated");
                ctx.redirect(LOGIN_PATH + "?next=" + URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8),
                        HttpStatus.FOUND);
                return;
            }
            if (!p.get().isAdmin()) {
                record(ctx, p.get().username(), action, "forbidden");
                ctx.status(HttpStatus.FORBIDDEN).contentType("text/html; charset=utf-8")
                        .result("<!DOCTYPE html><title>Forbidden</title><p>Forbidden: the admin role is required."
                                + " <a href=\"/login\">Log in as another user</a></p>");
                return;
            }
            ctx.attribute(PRINCIPAL, p.get());
            runAudited(ctx, p.get(), action, handler);
        };
    }

    /** A JSON API call: anonymous callers get 401, non-admins 403. */
    public Handler api(String action, Handler handler) {
        return ctx -> {
            if (!rateAllowed(ctx, apiLimiter, action)) {
                return;
            }
            if (!admitted(ctx, action)) {
                return;
            }
            if (ctx.method().name().equals("POST") && !sameOrigin(ctx)) {
                record(ctx, principal(ctx).username(), action, "forbidden", "cross-origin request");
                jsonError(ctx, HttpStatus.FORBIDDEN, "cross-origin request refused");
                return;
            }
            runAudited(ctx, principal(ctx), action, handler);
        };
    }

    /**
     * Runs before the {@code /admin-ws} upgrade: rate limit, authentication, admin role and origin
     * are checked on the HTTP request, so a refused browser never gets a WebSocket.
     */
    public void beforeWsUpgrade(Context ctx) {
        if (!rateAllowed(ctx, wsLimiter, "ws_connect")) {
            ctx.skipRemainingHandlers();
            return;
        }
        if (!admitted(ctx, "ws_connect")) {
            ctx.skipRemainingHandlers();
            return;
        }
        if (!sameOrigin(ctx)) {
            record(ctx, principal(ctx).username(), "ws_connect", "forbidden", "cross-origin request");
            jsonError(ctx, HttpStatus.FORBIDDEN, "cross-origin request refused");
            ctx.skipRemainingHandlers();
            return;
        }
        record(ctx, principal(ctx).username(), "ws_connect", "ok");
    }

    private void runAudited(Context ctx, Principal p, String action, Handler handler) throws Exception {
        try {
            handler.handle(ctx);
        } catch (Exception e) {
            record(ctx, p.username(), action, "error", e.getClass().getSimpleName());
            throw e;
        }
        int code = ctx.statusCode();
        record(ctx, p.username(), action, code < 400 ? "ok" : "failed", code < 400 ? null : "status " + code);
    }

    public static Principal principal(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    /** Writes an audit line for this request (and counts it). */
    public void record(Context ctx, String user, String action, String result) {
        record(ctx, user, action, result, null);
    }

    public void record(Context ctx, String user, String action, String result, String detail) {
        audit.record(user, ctx.ip(), action, ctx.method().name() + " " + ctx.path(), result, detail);
        metrics.access(action, result);
    }

    private boolean admitted(Context ctx, String action) {
        Optional<Principal> p = authenticate(ctx);
        if (p.isEmpty()) {
            record(ctx, null, action, "unauthenticated");
            if (ctx.header("X-Requested-With") == null) {
                // browsers' own fetches set X-Requested-With, and must not pop up a Basic dialog
                ctx.header("WWW-Authenticate", "Basic realm=\"TickStock admin\", charset=\"UTF-8\"");
            }
            jsonError(ctx, HttpStatus.UNAUTHORIZED, "authentication required");
            return false;
        }
        if (!p.get().isAdmin()) {
            record(ctx, p.get().username(), action, "forbidden");
            jsonError(ctx, HttpStatus.FORBIDDEN, "the admin role is required");
            return false;
        }
        ctx.attribute(PRINCIPAL, p.get());
        return true;
    }

    private boolean rateAllowed(Context ctx, RateLimiter limiter, String action) {
        RateLimiter.Decision d = limiter.tryAcquire(ctx.ip());
        if (d.allowed()) {
            return true;
        }
        record(ctx, null, action, "rate_limited");
        ctx.header("Retry-After", Long.toString(d.retryAfterSeconds()));
        jsonError(ctx, HttpStatus.TOO_MANY_REQUESTS, "too many requests, retry after " + d.retryAfterSeconds() + "s");
        return false;
    }

    /** True when there is no Origin header, or it names the host the request was sent to. */
    static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || origin.isEmpty()) {
            return true;
        }
        String host = ctx.header("Host");
        try {
            URI o = URI.create(origin);
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host != null && (host.equalsIgnoreCase(authority) || host.equalsIgnoreCase(o.getHost()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    static void jsonError(Context ctx, HttpStatus status, String message) {
        ctx.status(status).contentType("application/json")
                .result("{\"error\":\"" + message.replace("\"", "'") + "\",\"status\":" + status.getCode() + "}");
    }
}
