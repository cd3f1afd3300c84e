package io.tickstock.admin.internal.auth;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.security.BasicAuthCredentials;
import io.tickstock.admin.internal.audit.AuditLog;
import io.tickstock.admin.internal.metrics.AdminMetrics;

import java.net.URI;
import java.net.URISyntaxException;
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
    /** Context attribute holding the client address of a {@code /admin-ws} upgrade. */
    public static final String CLIENT = "tickstock.client";
    /** Context attribute holding the session token the request was authenticated by, if any. */
    public static final String SESSION_TOKEN = "tickstock.session";
    public static final String LOGIN_PATH = "/login";

    private final CredentialCheck credentials;
    private final SessionStore sessions;
    private final RateLimiter apiLimiter;
    private final RateLimiter wsLimiter;
    private final AuditLog audit;
    private final AdminMetrics metrics;
    private final TrustedProxies proxies;

    public AccessGuard(CredentialCheck credentials, SessionStore sessions, RateLimiter apiLimiter, RateLimiter wsLimiter,
                       AuditLog audit, AdminMetrics metrics, TrustedProxies proxies) {
        this.credentials = credentials;
        this.proxies = proxies;
        this.sessions = sessions;
        this.apiLimiter = apiLimiter;
        this.wsLimiter = wsLimiter;
        this.audit = audit;
        this.metrics = metrics;
    }

    /**
     * How a request authenticated: {@code principal} when it did; else whether a password was
     * presented (and for which user) or the client is out of its failure budget.
     */
    private record Attempt(Principal principal, boolean presented, String triedUser, long retryAfterSeconds,
                           boolean busy) {
        static final Attempt ANONYMOUS = new Attempt(null, false, null, 0, false);
    }

    /** The caller, from the session cookie or else HTTP Basic (through the failure budget). */
    private Attempt authenticate(Context ctx) {
        String token = ctx.cookie(SessionStore.COOKIE);
        Optional<Principal> fromCookie = sessions.lookup(token);
        if (fromCookie.isPresent()) {
            ctx.attribute(SESSION_TOKEN, token);
            return new Attempt(fromCookie.get(), false, null, 0, false);
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Attempt.ANONYMOUS;
        }
        BasicAuthCredentials creds;
        try {
            creds = ctx.basicAuthCredentials();
        } catch (RuntimeException e) {
            return Attempt.ANONYMOUS;
        }
        if (creds == null) {
            return Attempt.ANONYMOUS;
        }
        CredentialCheck.Outcome o = credentials.check(client(ctx), creds.getUsername(), creds.getPassword());
        return new Attempt(o.principal(), true, creds.getUsername(), o.retryAfterSeconds(),
                o.result() == CredentialCheck.Result.BUSY);
    }

    /** A dashboard page: anonymous browsers are sent to the login page. */
    public Handler page(String action, Handler handler) {
        return ctx -> {
            if (!rateAllowed(ctx, apiLimiter, action)) {
                return;
            }
            Attempt a = authenticate(ctx);
            if (outOfBudget(ctx, a, action)) {
                return;
            }
            Optional<Principal> p = Optional.ofNullable(a.principal());
            if (p.isEmpty()) {
                recordNotAuthenticated(ctx, a, action);
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
            if (ctx.method().name().equals("POST") && refuseCrossOrigin(ctx, principal(ctx).username(), action)) {
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
        if (refuseCrossOrigin(ctx, principal(ctx).username(), "ws_connect")) {
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.attribute(CLIENT, client(ctx));
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
        audit.record(user, client(ctx), action, ctx.method().name() + " " + ctx.path(), result, detail);
        metrics.access(action, result);
    }

    private boolean admitted(Context ctx, String action) {
        Attempt a = authenticate(ctx);
        if (outOfBudget(ctx, a, action)) {
            return false;
        }
        Optional<Principal> p = Optional.ofNullable(a.principal());
        if (p.isEmpty()) {
            recordNotAuthenticated(ctx, a, action);
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

    /** Answers 429 when the client is out of its failure budget (503 when all password checks are busy); true when it did. */
    private boolean outOfBudget(Context ctx, Attempt a, String action) {
        if (a.retryAfterSeconds() <= 0) {
            return false;
        }
        if (a.busy()) {
            record(ctx, null, action, "rate_limited", "password checks busy");
            ctx.header("Retry-After", Long.toString(a.retryAfterSeconds()));
            jsonError(ctx, HttpStatus.SERVICE_UNAVAILABLE, "password checks busy, retry after "
                    + a.retryAfterSeconds() + "s");
            return true;
        }
        record(ctx, null, action, "rate_limited", "too many failed authentications");
        ctx.header("Retry-After", Long.toString(a.retryAfterSeconds()));
        jsonError(ctx, HttpStatus.TOO_MANY_REQUESTS, "too many failed authentications, retry after "
                + a.retryAfterSeconds() + "s");
        return true;
    }

    private void recordNotAuthenticated(Context ctx, Attempt a, String action) {
        if (a.presented()) {
            record(ctx, a.triedUser(), action, "failed", "wrong user name or password");
        } else {
            record(ctx, null, action, "unauthenticated");
        }
    }

    /** Applies the page/API rate limit to a request of another route (429 answered here); true when allowed. */
    public boolean apiRateAllowed(Context ctx, String action) {
        return rateAllowed(ctx, apiLimiter, action);
    }

    private boolean rateAllowed(Context ctx, RateLimiter limiter, String action) {
        RateLimiter.Decision d = limiter.tryAcquire(client(ctx));
        if (d.allowed()) {
            return true;
        }
        record(ctx, null, action, "rate_limited");
        ctx.header("Retry-After", Long.toString(d.retryAfterSeconds()));
        jsonError(ctx, HttpStatus.TOO_MANY_REQUESTS, "too many requests, retry after " + d.retryAfterSeconds() + "s");
        return false;
    }

    /** The client's address (see {@link TrustedProxies#client}): the key of rate limits and audit lines. */
    public String client(Context ctx) {
        return proxies.client(ctx);
    }

    /** Whether the browser reached us over HTTPS (directly, or through a trusted proxy that says so). */
    public boolean secure(Context ctx) {
        return proxies.secure(ctx);
    }

    /**
     * Refuses (403, audited) a browser request from another origin; true when it was refused.
     * Requests without {@code Origin} (curl, scripts) are not cross-site browser requests.
     */
    public boolean refuseCrossOrigin(Context ctx, String user, String action) {
        if (sameOrigin(ctx)) {
            return false;
        }
        record(ctx, user, action, "forbidden", "cross-origin request");
        jsonError(ctx, HttpStatus.FORBIDDEN, "cross-origin request refused");
        return true;
    }

    /** True when there is no Origin header, or it names this server: same scheme, host and port. */
    boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        return origin == null || origin.isEmpty() || sameOrigin(origin, proxies.scheme(ctx), ctx.header("Host"));
    }

    /**
     * Whether {@code origin} is the origin of a request that arrived with {@code scheme} and the
     * {@code Host} header {@code host}; absent ports are the scheme's default (80, 443).
     */
    static boolean sameOrigin(String origin, String scheme, String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        try {
            URI o = new URI(origin);
            URI h = new URI(scheme + "://" + host);
            boolean plainOrigin = o.getRawUserInfo() == null && (o.getRawPath() == null || o.getRawPath().isEmpty())
                    && o.getRawQuery() == null && o.getHost() != null;
            boolean plainHost = h.getRawUserInfo() == null && (h.getRawPath() == null || h.getRawPath().isEmpty())
                    && h.getRawQuery() == null && h.getHost() != null;
            return plainOrigin && plainHost && scheme.equalsIgnoreCase(o.getScheme())
                    && o.getHost().equalsIgnoreCase(h.getHost()) && port(o) == port(h);
        } catch (URISyntaxException | RuntimeException e) {
            return false;
        }
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return switch (u.getScheme().toLowerCase(java.util.Locale.ROOT)) {
            case "https" -> 443;
            case "http" -> 80;
            default -> -1;
        };
    }

    static void jsonError(Context ctx, HttpStatus status, String message) {
        ctx.status(status).contentType("application/json")
                .result("{\"error\":\"" + message.replace("\"", "'") + "\",\"status\":" + status.getCode() + "}");
    }
}
