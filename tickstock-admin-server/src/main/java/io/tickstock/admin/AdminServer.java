package io.tickstock.admin;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.http.staticfiles.Location;
import io.tickstock.admin.internal.api.LastValueApi;
import io.tickstock.admin.internal.api.StatusApi;
import io.tickstock.admin.internal.audit.AuditLog;
import io.tickstock.admin.internal.auth.AccessGuard;
import io.tickstock.admin.internal.auth.BoundedVerifier;
import io.tickstock.admin.internal.auth.CredentialCheck;
import io.tickstock.admin.internal.auth.PasswordVerifier;
import io.tickstock.admin.internal.auth.Principal;
import io.tickstock.admin.internal.auth.RateLimiter;
import io.tickstock.admin.internal.auth.SessionStore;
import io.tickstock.admin.internal.auth.UserDirectory;
import io.tickstock.admin.internal.dashboard.DashboardPage;
import io.tickstock.admin.internal.dashboard.LoginPage;
import io.tickstock.admin.gateway.GatewayView;
import io.tickstock.admin.internal.health.Readiness;
import io.tickstock.admin.internal.metrics.AdminMetrics;
import io.tickstock.admin.internal.metrics.ThroughputTracker;
import io.tickstock.admin.internal.stream.AdminSocket;
import io.tickstock.admin.internal.stream.DashboardStream;
import io.tickstock.admin.internal.stream.UncompressedWebSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP server (Javalin): dashboard page, JSON API, {@code /admin-ws}, login, health and
 * metrics. All routes are declared in {@link #routes}; access rules live in {@link AccessGuard}.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    /** Where the dashboard page is served. */
    public static final String DASHBOARD_PATH = "/admin/websockets";
    /** The last-value API. */
    public static final String LAST_VALUE_PATH = "/api/admin/ticks/last";
    /** Window of the msgs/s figures. */
    public static final Duration RATE_WINDOW = Duration.ofSeconds(5);

    private final AdminConfig config;
    private final GatewayView gateway;
    private final Clock clock;
    private final AuditLog audit;
    private final SessionStore sessions;
    private final CredentialCheck credentials;
    private final RateLimiter loginLimiter;
    private final ThroughputTracker rates;
    private final DashboardStream stream;
    private final AdminMetrics metrics;
    private final AccessGuard guard;
    private final StatusApi api;
    private final LastValueApi lastValueApi;
    private final Javalin app;
    /** Writes the audit trail's per-minute summaries when no further request comes to trigger them. */
    private final ScheduledExecutorService auditTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "admin-audit");
        t.setDaemon(true);
        return t;
    });

    private AdminServer(AdminConfig config, GatewayView gateway, Clock clock, PasswordVerifier verifier)
            throws IOException {
        this.config = config;
        this.gateway = gateway;
        this.clock = clock;
        this.audit = new AuditLog(config.auditLog(), clock, config.auditMaxBytes(), config.auditMaxFiles());
        UserDirectory users = new UserDirectory(config.adminUsername(), config.adminPassword(),
                config.usersFile().map(UserDirectory::readUsersFile).orElse(Map.of()), clock,
                new BoundedVerifier(verifier, BoundedVerifier.defaultPermits()));
        this.credentials = new CredentialCheck(users, new RateLimiter(config.authFailureRateLimit()));
        this.sessions = new SessionStore(config.sessionTimeout(), 10_000, clock);
        this.loginLimiter = new RateLimiter(config.loginRateLimit());
        this.rates = new ThroughputTracker(RATE_WINDOW, System::nanoTime);
        this.stream = new DashboardStream(gateway, gateway, rates, config.maxSymbols(), config.maxTicksPerMessage(),
                config.tickFlushInterval(), config.metricsInterval(), clock);
        this.metrics = new AdminMetrics(gateway, stream, rates);
        metrics.bindAudit(audit);
        this.guard = new AccessGuard(credentials, sessions, new RateLimiter(config.apiRateLimit()),
                new RateLimiter(config.wsRateLimit()), audit, metrics, config.trustedProxies());
        this.api = new StatusApi(gateway, gateway.control(), rates, clock);
        this.lastValueApi = new LastValueApi(gateway, clock);
        AdminSocket socket = new AdminSocket(stream, audit, sessions);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = 64 * 1024;
            cfg.jetty.host = config.bind();
            cfg.jetty.port = config.port();
            UncompressedWebSockets.apply(cfg.jetty);
            if (config.dashboardEnabled()) { // kill switch: not even the page's script and style
                cfg.staticFiles.add(sf -> {
                    sf.hostedPath = "/static";
                    sf.directory = "/static";
                    sf.location = Location.CLASSPATH;
                    sf.headers = Map.of("Cache-Control", "no-cache");
                });
            }
            routes(cfg.routes, socket);
        });
    }

    /** Starts a server for {@code gateway}; the stream subscribes to its ticks and status changes. */
    public static AdminServer start(AdminConfig config, GatewayView gateway, Clock clock) throws IOException {
        return start(config, gateway, clock, PasswordVerifier.PBKDF2);
    }

    /** As {@link #start(AdminConfig, GatewayView, Clock)}, checking passwords with {@code verifier} (tests count them). */
    public static AdminServer start(AdminConfig config, GatewayView gateway, Clock clock, PasswordVerifier verifier)
            throws IOException {
        if (users(config) == 0) {
            throw new IllegalStateException("no users: set ADMIN_PASSWORD or ADMIN_USERS_FILE");
        }
        AdminServer s = new AdminServer(config, gateway, clock, verifier);
        s.stream.start();
        s.auditTimer.scheduleAtFixedRate(s::flushAuditSummaries, 5, 5, TimeUnit.SECONDS);
        s.app.start();
        if (config.dashboardEnabled()) {
            LOG.info("Admin server listening on http://{}:{}{}", config.bind(), s.port(), DASHBOARD_PATH);
        } else {
            LOG.info("Admin server listening on http://{}:{} with /health and /metrics only (dashboard disabled by {})",
                    config.bind(), s.port(), AdminConfig.DASHBOARD_ENABLED);
        }
        return s;
    }

    private void ready(io.javalin.http.Context ctx) throws Exception {
        Readiness.Verdict v = Readiness.of(gateway.health(), gateway.connections());
        StatusApi.json(ctx, v.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, v.toMap());
    }

    private static int users(AdminConfig c) {
        return c.adminPassword().isPresent() || c.usersFile().isPresent() ? 1 : 0;
    }

    private void routes(io.javalin.config.RoutesConfig r, AdminSocket socket) {
        r.before(AdminServer::securityHeaders);
        // /health and /health/live: the process answers (liveness); /health/ready: it can do its work
        r.get("/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"UP\"}"));
        r.get("/health/live", ctx -> ctx.contentType("application/json").result("{\"status\":\"UP\"}"));
        r.get("/health/ready", this::ready);
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        r.get("/favicon.ico", ctx -> ctx.contentType("image/svg+xml").header("Cache-Control", "max-age=86400")
                .result(DashboardPage.FAVICON_SVG)); // browsers ask for it on every page, the pages link it too
        if (!config.dashboardEnabled()) {
            return; // kill switch: the page, its login, its API and /admin-ws are simply not there (404)
        }
        r.get("/login", ctx -> ctx.html(LoginPage.render(null, safeNext(ctx.queryParam("next")), null)));
        r.post("/login", this::login);
        r.post("/logout", this::logout);
        r.get("/", ctx -> ctx.redirect(DASHBOARD_PATH, HttpStatus.FOUND));
        r.get("/admin", ctx -> ctx.redirect(DASHBOARD_PATH, HttpStatus.FOUND));
        r.get(DASHBOARD_PATH, guard.page("page", ctx -> ctx.html(DashboardPage.render(
                AccessGuard.principal(ctx).username(), gateway.connections(), gateway.nodes(),
                gateway.control().isPresent(), rates, gateway.demo(), config.metricsInterval(), clock.instant()))));
        r.get("/api/admin/websocket-status", guard.api("api", api::websocketStatus));
        r.get("/api/admin/health-status", guard.api("api", api::healthStatus));
        r.post("/api/admin/connections/{id}/reconnect", guard.api("reconnect", api::reconnect));
        // under /api/admin, so the admin-role rule for that prefix covers it (docs/capture-replay.md)
        r.get(LAST_VALUE_PATH, guard.api("ticks_last", lastValueApi::last));
        r.wsBeforeUpgrade("/admin-ws", ctx -> {
            if (stream.sessionCount() >= config.maxWsSessions()) {
                guard.record(ctx, null, "ws_connect", "refused", "dashboard limit reached");
                ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("too many dashboards");
                ctx.skipRemainingHandlers();
                return;
            }
            guard.beforeWsUpgrade(ctx);
        });
        r.ws("/admin-ws", socket::configure);
    }

    private void login(Context ctx) {
        String next = safeNext(ctx.formParam("next"));
        String username = trim(ctx.formParam("username"));
        if (guard.refuseCrossOrigin(ctx, null, "login")) {
            return; // login CSRF: another site must not log a browser into an account of its choosing
        }
        RateLimiter.Decision d = loginLimiter.tryAcquire(guard.client(ctx));
        if (!d.allowed()) {
            guard.record(ctx, username, "login", "rate_limited");
            tooMany(ctx, "Too many login attempts.", d.retryAfterSeconds(), next, username);
            return;
        }
        CredentialCheck.Outcome o = credentials.check(guard.client(ctx), username, ctx.formParam("password"));
        if (o.result() == CredentialCheck.Result.BUSY) {
            guard.record(ctx, null, "login", "rate_limited", "password checks busy");
            ctx.header("Retry-After", "1").status(HttpStatus.SERVICE_UNAVAILABLE)
                    .html(LoginPage.render("The server is busy checking passwords. Try again in 1 s.", next, username));
            return;
        }
        if (o.result() == CredentialCheck.Result.LIMITED) {
            guard.record(ctx, username, "login", "rate_limited", "too many failed authentications");
            tooMany(ctx, "Too many failed attempts.", o.retryAfterSeconds(), next, username);
            return;
        }
        if (o.result() == CredentialCheck.Result.REJECTED) {
            guard.record(ctx, username, "login", "failed");
            ctx.status(HttpStatus.UNAUTHORIZED).html(LoginPage.render("Wrong user name or password.", next, username));
            return;
        }
        Principal p = o.principal();
        String token = sessions.create(p);
        ctx.cookie(new Cookie(SessionStore.COOKIE, token, "/", -1, guard.secure(ctx), true, null, SameSite.STRICT));
        guard.record(ctx, p.username(), "login", "ok", "role " + p.role().wireName());
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    private static void tooMany(Context ctx, String what, long retryAfterSeconds, String next, String username) {
        ctx.header("Retry-After", Long.toString(retryAfterSeconds)).status(HttpStatus.TOO_MANY_REQUESTS)
                .html(LoginPage.render(what + " Try again in " + retryAfterSeconds + " s.", next, username));
    }

    /**
     * Ends the browser's session (the cookie only: no password is checked here) and closes its
     * {@code /admin-ws} streams.
     */
    private void logout(Context ctx) {
        if (!guard.apiRateAllowed(ctx, "logout")) {
            return;
        }
        String token = ctx.cookie(SessionStore.COOKIE);
        Optional<Principal> p = sessions.lookup(token);
        if (guard.refuseCrossOrigin(ctx, p.map(Principal::username).orElse(null), "logout")) {
            return; // logout CSRF
        }
        sessions.invalidate(token);
        stream.revalidate();
        ctx.cookie(new Cookie(SessionStore.COOKIE, "", "/", 0, guard.secure(ctx), true, null, SameSite.STRICT));
        if (p.isPresent()) {
            guard.record(ctx, p.get().username(), "logout", "ok");
        } else {
            guard.record(ctx, null, "logout", "unauthenticated");
        }
        ctx.redirect(AccessGuard.LOGIN_PATH, HttpStatus.SEE_OTHER);
    }

    /**
     * The page loads only its own script, style and WebSocket, cannot be framed (its buttons act on
     * the gateway), and nothing dynamic is cached.
     */
    static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on same-origin form
        // POSTs (login, logout), which the origin check must refuse
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        if (!ctx.path().startsWith("/static/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    /** Only local absolute paths are followed after login (no open redirect). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.length() > 200 || next.chars().anyMatch(ch -> ch < 0x20)) {
            return DASHBOARD_PATH;
        }
        return next;
    }

    private static String trim(String s) {
        return s == null ? null : s.strip();
    }

    /** The port the server listens on (the bound one when {@code ADMIN_PORT=0}). */
    public int port() {
        return app.port();
    }

    /** The {@code /admin-ws} stream (its figures join the health snapshot). */
    public DashboardStream stream() {
        return stream;
    }

    /** The Prometheus registry behind {@code /metrics}. */
    public AdminMetrics metrics() {
        return metrics;
    }

    /** The audit log of operator actions and authentication. */
    public AuditLog audit() {
        return audit;
    }

    /** The configuration this server was started with. */
    public AdminConfig config() {
        return config;
    }

    private void flushAuditSummaries() {
        try {
            audit.flushSummaries();
        } catch (RuntimeException e) {
            LOG.warn("Audit summaries: {}", e.toString()); // keep the timer alive
        }
    }

    @Override
    public void close() {
        auditTimer.shutdownNow();
        stream.close();
        app.stop();
        metrics.close();
        try {
            audit.close();
        } catch (IOException e) {
            LOG.warn("Closing audit log: {}", e.toString());
        }
    }
}
