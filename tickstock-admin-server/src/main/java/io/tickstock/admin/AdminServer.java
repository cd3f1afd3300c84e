package io.tickstock.admin;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.http.staticfiles.Location;
import io.tickstock.admin.api.LastValueApi;
import io.tickstock.admin.api.StatusApi;
import io.tickstock.admin.audit.AuditLog;
import io.tickstock.admin.auth.AccessGuard;
import io.tickstock.admin.auth.Principal;
import io.tickstock.admin.auth.RateLimiter;
import io.tickstock.admin.auth.SessionStore;
import io.tickstock.admin.auth.UserDirectory;
import io.tickstock.admin.dashboard.DashboardPage;
import io.tickstock.admin.dashboard.LoginPage;
import io.tickstock.admin.gateway.GatewayView;
import io.tickstock.admin.metrics.AdminMetrics;
import io.tickstock.admin.metrics.ThroughputTracker;
import io.tickstock.admin.stream.AdminSocket;
import io.tickstock.admin.stream.DashboardStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The admin HTTP server (Javalin): dashboard page, JSON API, {@code /admin-ws}, login, health and
 * metrics. All routes are declared in {@link #routes}; access rules live in {@link AccessGuard}.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
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
    private final UserDirectory users;
    private final RateLimiter loginLimiter;
    private final ThroughputTracker rates;
    private final DashboardStream stream;
    private final AdminMetrics metrics;
    private final AccessGuard guard;
    private final StatusApi api;
    private final LastValueApi lastValueApi;
    private final Javalin app;

    private AdminServer(AdminConfig config, GatewayView gateway, Clock clock) throws IOException {
        this.config = config;
        this.gateway = gateway;
        this.clock = clock;
        this.audit = new AuditLog(config.auditLog(), clock);
        this.users = new UserDirectory(config.adminUsername(), config.adminPassword(),
                config.usersFile().map(UserDirectory::readUsersFile).orElse(Map.of()), clock);
        this.sessions = new SessionStore(config.sessionTimeout(), 10_000, clock);
        this.loginLimiter = new RateLimiter(config.loginRateLimit());
        this.rates = new ThroughputTracker(RATE_WINDOW, System::nanoTime);
        this.stream = new DashboardStream(gateway, rates, config.maxSymbols(), config.maxTicksPerMessage(),
                config.tickFlushInterval(), config.metricsInterval(), clock);
        this.metrics = new AdminMetrics(gateway, stream, rates);
        this.guard = new AccessGuard(users, sessions, new RateLimiter(config.apiRateLimit()),
                new RateLimiter(config.wsRateLimit()), audit, metrics);
        this.api = new StatusApi(gateway, rates, clock);
        this.lastValueApi = new LastValueApi(gateway, clock);
        AdminSocket socket = new AdminSocket(stream, audit);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = 64 * 1024;
            cfg.jetty.host = config.bind();
            cfg.jetty.port = config.port();
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/static";
                sf.directory = "/static";
                sf.location = Location.CLASSPATH;
                sf.headers = Map.of("Cache-Control", "no-cache");
            });
            routes(cfg.routes, socket);
        });
    }

    /** Starts a server for {@code gateway}; the stream subscribes to its ticks and status changes. */
    public static AdminServer start(AdminConfig config, GatewayView gateway, Clock clock) throws IOException {
        if (users(config) == 0) {
            throw new IllegalStateException("no users: set ADMIN_PASSWORD or ADMIN_USERS_FILE");
        }
        AdminServer s = new AdminServer(config, gateway, clock);
        s.stream.start();
        s.app.start();
        LOG.info("Admin server listening on http://{}:{}{} (dashboard {})", config.bind(), s.port(), DASHBOARD_PATH,
                config.dashboardEnabled() ? "enabled" : "DISABLED by " + AdminConfig.DASHBOARD_ENABLED);
        return s;
    }

    private static int users(AdminConfig c) {
        return c.adminPassword().isPresent() || c.usersFile().isPresent() ? 1 : 0;
    }

    private void routes(io.javalin.config.RoutesConfig r, AdminSocket socket) {
        r.before(AdminServer::securityHeaders);
        r.get("/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"UP\"}"));
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        r.get("/login", ctx -> ctx.html(LoginPage.render(null, safeNext(ctx.queryParam("next")), null)));
        r.post("/login", this::login);
        r.post("/logout", this::logout);
        r.get("/", ctx -> ctx.redirect(DASHBOARD_PATH, HttpStatus.FOUND));
        if (!config.dashboardEnabled()) {
            return; // kill switch: the page, its API and /admin-ws are simply not there (404)
        }
        r.get("/admin", ctx -> ctx.redirect(DASHBOARD_PATH, HttpStatus.FOUND));
        r.get(DASHBOARD_PATH, guard.page("page", ctx -> ctx.html(DashboardPage.render(
                AccessGuard.principal(ctx).username(), gateway.connections(), gateway.nodes(), rates, gateway.demo(),
                config.metricsInterval(), clock.instant()))));
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
        RateLimiter.Decision d = loginLimiter.tryAcquire(ctx.ip());
        String next = safeNext(ctx.formParam("next"));
        String username = trim(ctx.formParam("username"));
        if (!d.allowed()) {
            guard.record(ctx, username, "login", "rate_limited");
            ctx.header("Retry-After", Long.toString(d.retryAfterSeconds())).status(HttpStatus.TOO_MANY_REQUESTS)
                    .html(LoginPage.render("Too many login attempts. Try again in " + d.retryAfterSeconds() + " s.",
                            next, username));
            return;
        }
        Optional<Principal> p = users.authenticate(username, ctx.formParam("password"));
        if (p.isEmpty()) {
            guard.record(ctx, username, "login", "failed");
            ctx.status(HttpStatus.UNAUTHORIZED).html(LoginPage.render("Wrong user name or password.", next, username));
            return;
        }
        String token = sessions.create(p.get());
        ctx.cookie(new Cookie(SessionStore.COOKIE, token, "/", -1, "https".equals(ctx.scheme()), true, null,
                SameSite.STRICT));
        guard.record(ctx, p.get().username(), "login", "ok", "role " + p.get().role().wireName());
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    private void logout(Context ctx) {
        Optional<Principal> p = guard.authenticate(ctx);
        sessions.invalidate(ctx.cookie(SessionStore.COOKIE));
        ctx.cookie(new Cookie(SessionStore.COOKIE, "", "/", 0, "https".equals(ctx.scheme()), true, null, SameSite.STRICT));
        guard.record(ctx, p.map(Principal::username).orElse(null), "logout", "ok");
        ctx.redirect(AccessGuard.LOGIN_PATH, HttpStatus.SEE_OTHER);
    }

    /**
     * The page loads only its own script, style and WebSocket, cannot be framed (its buttons act on
     * the gateway), and nothing dynamic is cached.
     */
    static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
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

    public int port() {
        return app.port();
    }

    public DashboardStream stream() {
        return stream;
    }

    public AdminMetrics metrics() {
        return metrics;
    }

    public AuditLog audit() {
        return audit;
    }

    public AdminConfig config() {
        return config;
    }

    @Override
    public void close() {
        stream.close();
        app.stop();
        try {
            audit.close();
        } catch (IOException e) {
            LOG.warn("Closing audit log: {}", e.toString());
        }
    }
}
