package io.tickstock.admin;

import io.tickstock.admin.internal.auth.RateLimit;
import io.tickstock.admin.internal.auth.TrustedProxies;
import io.tickstock.core.config.ConfigException;
import io.tickstock.core.internal.config.Durations;
import io.tickstock.core.config.Secret;
import io.tickstock.core.config.Settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * The admin server's settings (keys listed in {@code docs/admin-guide.md}). Bad values fail with a
 * {@link ConfigException} naming the key.
 *
 * @param adminPassword     the built-in admin's password; empty when a users file is used and no password is set
 * @param passwordGenerated true when {@code adminPassword} was generated here and must be shown once
 */
public record AdminConfig(String bind, int port, boolean dashboardEnabled, String adminUsername,
                          Optional<Secret> adminPassword, boolean passwordGenerated, Optional<Path> usersFile,
                          Duration metricsInterval, Path auditLog, Duration sessionTimeout,
                          RateLimit loginRateLimit, RateLimit apiRateLimit, RateLimit wsRateLimit,
                          RateLimit authFailureRateLimit, long auditMaxBytes, int auditMaxFiles,
                          TrustedProxies trustedProxies,
                          Duration tickFlushInterval, int maxTicksPerMessage, int maxSymbols, int maxWsSessions) {

    /**
     * {@code ADMIN_BIND}: Address to listen on; keep the default and put a TLS reverse proxy in front (see
     * operations.md). Default: {@code 127.0.0.1}.
     */
    public static final String BIND = "ADMIN_BIND";
    /** {@code ADMIN_PORT}: Port; {@code 0} picks a free one (tests). Default: {@code 8080}. */
    public static final String PORT = "ADMIN_PORT";
    /**
     * {@code ADMIN_WEBSOCKET_DASHBOARD_ENABLED}: Kill switch: {@code false} makes the page, its login, its
     * API, its static files and {@code /admin-ws} answer 404 ({@code /health}, {@code /metrics}, the feed
     * keep running). Default: {@code true}.
     */
    public static final String DASHBOARD_ENABLED = "ADMIN_WEBSOCKET_DASHBOARD_ENABLED";
    /**
     * {@code ADMIN_USERNAME}: The built-in admin's name (1–64 of letters, digits, {@code _ . @ -}).
     * Default: {@code admin}.
     */
    public static final String USERNAME = "ADMIN_USERNAME";
    /**
     * {@code ADMIN_PASSWORD}: The built-in admin's password, at least 8 characters. When neither it nor
     * {@code ADMIN_USERS_FILE} is set, one is generated and printed once on stdout. Default: generated
     * (secret).
     */
    public static final String PASSWORD = "ADMIN_PASSWORD";
    /**
     * {@code ADMIN_USERS_FILE}: Users with roles, one per line {@code
     * username:role:pbkdf2_sha256$<iterations>$<base64 salt>$<base64 hash>} (make the hash
     * with {@code scripts/run hash-password}); iterations from 1000 to 5000000, else start-up stops naming
     * the file and line.
     */
    public static final String USERS_FILE = "ADMIN_USERS_FILE";
    /**
     * {@code ADMIN_METRICS_INTERVAL}: Period of {@code metrics_update} and of the throughput samples (at
     * least 100ms). Default: {@code 1s}.
     */
    public static final String METRICS_INTERVAL = "ADMIN_METRICS_INTERVAL";
    /**
     * {@code ADMIN_AUDIT_LOG}: JSON-lines audit trail (directories are created; a path whose nearest existing
     * directory is not writable is refused at start, naming the key). Default: {@code logs/audit.log}.
     */
    public static final String AUDIT_LOG = "ADMIN_AUDIT_LOG";
    /**
     * {@code ADMIN_SESSION_TIMEOUT}: Browser sessions end after this much inactivity. Default: {@code 8h}.
     */
    public static final String SESSION_TIMEOUT = "ADMIN_SESSION_TIMEOUT";
    /** {@code ADMIN_RATE_LIMIT_LOGIN}: Login attempts per client address. Default: {@code 10/1m}. */
    public static final String RATE_LIMIT_LOGIN = "ADMIN_RATE_LIMIT_LOGIN";
    /** {@code ADMIN_RATE_LIMIT_API}: Page and API requests per client address. Default: {@code 600/1m}. */
    public static final String RATE_LIMIT_API = "ADMIN_RATE_LIMIT_API";
    /** {@code ADMIN_RATE_LIMIT_WS}: {@code /admin-ws} connects per client address. Default: {@code 30/1m}. */
    public static final String RATE_LIMIT_WS = "ADMIN_RATE_LIMIT_WS";
    /**
     * {@code ADMIN_RATE_LIMIT_AUTH_FAILURES}: Failed password checks per client address (login form and HTTP
     * Basic everywhere); past it 429 before any hashing. Default: {@code 10/1m}.
     */
    public static final String RATE_LIMIT_AUTH_FAILURES = "ADMIN_RATE_LIMIT_AUTH_FAILURES";
    /**
     * {@code ADMIN_AUDIT_LOG_MAX_SIZE}: The audit file is rotated to {@code <file>.1} before it would
     * grow past this ({@code KB}, {@code MB}, {@code GB} or bytes; 4KB to 1TB). Default: {@code 10MB}.
     */
    public static final String AUDIT_LOG_MAX_SIZE = "ADMIN_AUDIT_LOG_MAX_SIZE";
    /**
     * {@code ADMIN_AUDIT_LOG_MAX_FILES}: Rotated audit files kept ({@code <file>.1} … {@code
     * <file>.N}, 1–100); the oldest is deleted. Default: {@code 5}.
     */
    public static final String AUDIT_LOG_MAX_FILES = "ADMIN_AUDIT_LOG_MAX_FILES";
    /**
     * {@code ADMIN_TRUSTED_PROXIES}: IP addresses of reverse proxies whose {@code X-Forwarded-Proto} (HTTPS:
     * {@code Secure} cookie, origin check) and {@code X-Forwarded-For} (client address of rate limits and
     * audit) are believed; ignored from anyone else.
     */
    public static final String TRUSTED_PROXIES = "ADMIN_TRUSTED_PROXIES";
    /**
     * {@code ADMIN_TICK_FLUSH_INTERVAL}: How often coalesced ticks are sent to each browser (10ms–5s).
     * Default: {@code 50ms}.
     */
    public static final String TICK_FLUSH_INTERVAL = "ADMIN_TICK_FLUSH_INTERVAL";
    /**
     * {@code ADMIN_WS_MAX_TICKS_PER_MESSAGE}: Most ticks in one {@code tick_update}; the rest follow in the
     * next round. Default: {@code 2000}.
     */
    public static final String MAX_TICKS_PER_MESSAGE = "ADMIN_WS_MAX_TICKS_PER_MESSAGE";
    /**
     * {@code ADMIN_WS_MAX_SYMBOLS}: Symbols the dashboard tracks; ticks of further symbols are dropped
     * (counted). Default: {@code 20000}.
     */
    public static final String MAX_SYMBOLS = "ADMIN_WS_MAX_SYMBOLS";
    /** {@code ADMIN_WS_MAX_SESSIONS}: Dashboards connected at once; more get 503. Default: {@code 50}. */
    public static final String MAX_WS_SESSIONS = "ADMIN_WS_MAX_SESSIONS";

    /** Reads every {@code ADMIN_*} key. @throws io.tickstock.core.config.ConfigException naming the first bad key */
    public static AdminConfig from(Settings s) {
        // read by logback.xml itself; checked here so that a typo fails start-up instead of passing silently
        s.getChoice(io.tickstock.admin.logging.LogFormat.KEY, "text", io.tickstock.admin.logging.LogFormat.FORMATS);
        String bind = s.get(BIND, "127.0.0.1");
        try {
            InetAddress.getByName(bind);
        } catch (UnknownHostException | SecurityException e) {
            throw new ConfigException(BIND, bind, "an IP address or resolvable host name to listen on");
        }
        String username = s.get(USERNAME, "admin");
        if (!username.matches("[A-Za-z0-9_.@-]{1,64}")) {
            throw new ConfigException(USERNAME, username, "1 to 64 letters, digits or _ . @ -");
        }
        Optional<Path> usersFile = s.get(USERS_FILE).map(Path::of);
        Optional<Secret> password = s.getSecret(PASSWORD);
        boolean generated = false;
        if (password.isPresent() && password.get().reveal().length() < 8) {
            throw new ConfigException(PASSWORD, password.get().reveal(), "at least 8 characters");
        }
        if (password.isEmpty() && usersFile.isEmpty()) {
            password = Optional.of(new Secret(generatePassword()));
            generated = true;
        }
        Duration flush = s.getPositiveDuration(TICK_FLUSH_INTERVAL, Duration.ofMillis(50));
        if (flush.toMillis() < 10 || flush.toMillis() > 5_000) {
            throw new ConfigException(TICK_FLUSH_INTERVAL, Durations.format(flush), "from 10ms to 5s");
        }
        Duration metrics = s.getPositiveDuration(METRICS_INTERVAL, Duration.ofSeconds(1));
        if (metrics.toMillis() < 100) {
            throw new ConfigException(METRICS_INTERVAL, Durations.format(metrics), "at least 100ms");
        }
        return new AdminConfig(bind,
                s.getInt(PORT, 8080, 0, 65535),
                s.getBoolean(DASHBOARD_ENABLED, true),
                username, password, generated, usersFile,
                metrics,
                auditPath(s),
                s.getPositiveDuration(SESSION_TIMEOUT, Duration.ofHours(8)),
                rate(s, RATE_LIMIT_LOGIN, "10/1m"),
                rate(s, RATE_LIMIT_API, "600/1m"),
                rate(s, RATE_LIMIT_WS, "30/1m"),
                rate(s, RATE_LIMIT_AUTH_FAILURES, "10/1m"),
                size(s, AUDIT_LOG_MAX_SIZE, "10MB", 4_096, 1L << 40),
                s.getInt(AUDIT_LOG_MAX_FILES, 5, 1, 100),
                TrustedProxies.parse(TRUSTED_PROXIES, s.getList(TRUSTED_PROXIES)),
                flush,
                s.getInt(MAX_TICKS_PER_MESSAGE, 2_000, 1, 100_000),
                s.getInt(MAX_SYMBOLS, 20_000, 1, 1_000_000),
                s.getInt(MAX_WS_SESSIONS, 50, 1, 10_000));
    }

    private static RateLimit rate(Settings s, String key, String defaultValue) {
        String v = s.get(key, defaultValue);
        try {
            return RateLimit.parse(v);
        } catch (RuntimeException e) {
            throw new ConfigException(key, v, RateLimit.ALLOWED);
        }
    }

    /** Logback's file-size grammar, read here without logback (an embedder may log through anything). */
    private static final java.util.regex.Pattern SIZE =
            java.util.regex.Pattern.compile("([0-9]{1,15})\\s*(|kb|mb|gb)s?", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** A byte count written as logback writes file sizes: {@code 10MB}, {@code 512KB}, {@code 1GB} or bytes. */
    private static long size(Settings s, String key, String defaultValue, long min, long max) {
        String v = s.get(key, defaultValue);
        java.util.regex.Matcher m = SIZE.matcher(v.strip());
        long bytes = -1;
        if (m.matches()) {
            int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
                case "kb" -> 10;
                case "mb" -> 20;
                case "gb" -> 30;
                default -> 0;
            };
            bytes = Long.parseLong(m.group(1)) << shift; // at most 15 digits << 30: no overflow
        }
        if (bytes < min || bytes > max) {
            throw new ConfigException(key, v, "a size from 4KB to 1TB, e.g. 10MB or 512KB");
        }
        return bytes;
    }

    /** Letters and digits that cannot be mistaken for one another (no 0/O, 1/l/I). */
    static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    static final int GENERATED_PASSWORD_LENGTH = 20; // 20 of 57 symbols: about 116 bits

    /**
     * Only letters and digits: a double-click selects the whole password (a '-' or '_' would split it)
     * and nothing in it means something to a shell.
     */
    static String generatePassword() {
        SecureRandom random = new SecureRandom();
        char[] c = new char[GENERATED_PASSWORD_LENGTH];
        for (int i = 0; i < c.length; i++) {
            c[i] = PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length()));
        }
        return new String(c);
    }

    @Override
    public String toString() {
        return "AdminConfig[bind=" + bind + ", port=" + port + ", dashboardEnabled=" + dashboardEnabled
                + ", adminUsername=" + adminUsername + ", usersFile=" + usersFile.orElse(null)
                + ", metricsInterval=" + Durations.format(metricsInterval) + ", auditLog=" + auditLog + "]";
    }

    /** {@code ADMIN_AUDIT_LOG} as a path; a value that is no path on this system fails naming the key. */
    private static Path auditPath(Settings s) {
        String raw = s.get(AUDIT_LOG, "logs/audit.log");
        try {
            return Path.of(raw);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(AUDIT_LOG, raw, "a file path (" + e.getReason() + ")");
        }
    }
}
