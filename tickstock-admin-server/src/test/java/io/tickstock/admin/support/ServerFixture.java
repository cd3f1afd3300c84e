package io.tickstock.admin.support;

import io.tickstock.admin.AdminConfig;
import io.tickstock.admin.AdminServer;
import io.tickstock.admin.internal.auth.PasswordHasher;
import io.tickstock.admin.internal.auth.PasswordVerifier;
import io.tickstock.core.config.Settings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** An {@link AdminServer} on a free port over a {@link FakeGateway}, with an admin and a viewer. */
public final class ServerFixture implements AutoCloseable {
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-pass-123";
    public static final String VIEWER = "viewer";
    public static final String VIEWER_PASSWORD = "viewer-pass-123";
    public static final String OPS = "ops";
    public static final String OPS_PASSWORD = "ops-pass-1234";

    public final FakeGateway gateway;
    public final AdminServer server;
    public final Path dir;
    public final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public ServerFixture(Map<String, String> overrides) throws IOException {
        this(overrides, Clock.systemUTC(), PasswordVerifier.PBKDF2);
    }

    /** A server on {@code clock} whose password checks go through {@code verifier}. */
    public ServerFixture(Map<String, String> overrides, Clock clock, PasswordVerifier verifier) throws IOException {
        this(overrides, clock, verifier, new FakeGateway());
    }

    /** A server over {@code gateway}, e.g. one that offers no control. */
    public ServerFixture(FakeGateway gateway) throws IOException {
        this(Map.of(), Clock.systemUTC(), PasswordVerifier.PBKDF2, gateway);
    }

    private ServerFixture(Map<String, String> overrides, Clock clock, PasswordVerifier verifier, FakeGateway gateway)
            throws IOException {
        this.gateway = gateway;
        dir = Files.createTempDirectory("tickstock-admin-test");
        Path users = dir.resolve("users.txt");
        Files.writeString(users, "# test users\n"
                + VIEWER + ":viewer:" + PasswordHasher.hash(VIEWER_PASSWORD.toCharArray(), 1000) + "\n"
                + OPS + ":admin:" + PasswordHasher.hash(OPS_PASSWORD.toCharArray(), 1000) + "\n");
        Map<String, String> m = new HashMap<>();
        m.put("ADMIN_PORT", "0");
        m.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
        m.put("ADMIN_USERS_FILE", users.toString());
        m.put("ADMIN_AUDIT_LOG", dir.resolve("audit.log").toString());
        m.put("ADMIN_METRICS_INTERVAL", "200ms");
        m.putAll(overrides);
        server = AdminServer.start(AdminConfig.from(Settings.of(m)), gateway, clock, verifier);
    }

    public ServerFixture() throws IOException {
        this(Map.of());
    }

    public String base() {
        return "http://127.0.0.1:" + server.port();
    }

    public URI uri(String path) {
        return URI.create(base() + path);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in through the form and returns the session cookie ({@code name=value}). */
    public String login(String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/login", "username=" + user + "&password=" + password + "&next=/admin/websockets",
                "Content-Type", "application/x-www-form-urlencoded");
        if (r.statusCode() != 303) {
            throw new AssertionError("login failed: " + r.statusCode());
        }
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** The status of an {@code /admin-ws} upgrade with {@code headers}: 101 when it opened (then closed again). */
    public int wsStatus(String... headers) {
        try {
            openWs(headers).abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** Opens {@code /admin-ws} with {@code headers} (name, value, …), discarding what arrives. */
    public WebSocket openWs(String... headers) {
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/admin-ws"), new WebSocket.Listener() { })
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    public List<String> auditLines() throws IOException {
        return Files.readAllLines(dir.resolve("audit.log"));
    }

    @Override
    public void close() throws IOException {
        server.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
