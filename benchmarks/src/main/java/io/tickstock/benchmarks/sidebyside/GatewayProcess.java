package io.tickstock.benchmarks.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The whole gateway as a black box: the runnable admin-server jar started as a process with three
 * connections at the corpus server (and Redis when given), its figures read from
 * {@code /api/admin/health-status} through one logged-in session (one password check per run, not one
 * per poll, so the polling costs the gateway little).
 */
final class GatewayProcess implements Reader {
    static final String PASSWORD = "side-by-side-bench-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MIN_POLL = Duration.ofMillis(5);
    private static final Duration MAX_POLL = Duration.ofMillis(250);

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String cookie;
    private long polls;

    /** Starts the jar; returns once {@code /health} answers and the admin is logged in. */
    GatewayProcess(Path jar, String feedUrl, String apiKey, List<List<String>> symbolsByConnection, String redisUrl,
                   Map<String, String> extraEnv, Path log) throws Exception {
        this.log = log;
        port = freePort();
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("MASSIVE_") || k.startsWith("REDIS_") || k.startsWith("ADMIN_")
                || k.startsWith("WEBSOCKET_") || k.startsWith("TICKSTOCK_"));
        env.put("MASSIVE_API_KEY", apiKey);
        env.put("MASSIVE_WEBSOCKET_URL", feedUrl);
        env.put("MASSIVE_SUBSCRIPTION_CHANNELS", "T,Q");
        env.put("USE_MULTI_CONNECTION", "true");
        for (int c = 0; c < symbolsByConnection.size(); c++) {
            env.put("WEBSOCKET_CONNECTION_" + (c + 1) + "_ENABLED", "true");
            env.put("WEBSOCKET_CONNECTION_" + (c + 1) + "_SYMBOLS", String.join(",", symbolsByConnection.get(c)));
        }
        env.put("ADMIN_PORT", Integer.toString(port));
        env.put("ADMIN_PASSWORD", PASSWORD);
        env.put("ADMIN_AUDIT_LOG", log.resolveSibling(log.getFileName() + ".audit").toString());
        env.put("ADMIN_RATE_LIMIT_LOGIN", "1000/1m");
        env.put("ADMIN_RATE_LIMIT_WS", "1000/1m");
        env.put("ADMIN_RATE_LIMIT_API", "100000/1m"); // the harness's health polls
        if (redisUrl != null) {
            env.put("REDIS_URL", redisUrl);
            // The corpus is built once and replayed in every round: by the later rounds its events are
            // minutes old, which the publisher would rightly take for a feed far behind the market
            // (and drop rather than pause for). A live feed's events are not; measure the pause path.
            env.put("REDIS_PUBLISH_MAX_LAG", "10m");
        }
        env.putAll(extraEnv);
        process = pb.start();
        try {
            awaitHealth(Duration.ofSeconds(60));
            cookie = login();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** The session cookie ({@code name=value}) of the logged-in admin. */
    String cookie() {
        return cookie;
    }

    /** The core health snapshot, as the gateway serves it. */
    JsonNode health() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/admin/health-status"))
                .header("Cookie", cookie).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("health-status answered " + r.statusCode() + "; see " + log);
        }
        return JSON.readTree(r.body());
    }

    /**
     * The gateway's CPU nanoseconds per health poll, measured over {@code polls} polls while it is idle:
     * what the harness's own polling adds to the gateway's figures.
     */
    long pollCostNanos(int polls) throws IOException, InterruptedException {
        long cpu0 = ProcCpu.nanos(pid());
        for (int i = 0; i < polls; i++) {
            health();
        }
        return (ProcCpu.nanos(pid()) - cpu0) / polls;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void awaitPassEnd(long eventsSoFar, Duration timeout) throws Exception {
        await(h -> eventsSoFar - h.path("total_ticks_received").asLong(), "ingest of " + eventsSoFar + " events",
                timeout);
    }

    /** Blocks until Redis has an outcome (published or dropped) for {@code ticks} ticks; returns the last snapshot. */
    JsonNode awaitPublisherSettled(long ticks, Duration timeout) throws Exception {
        return await(h -> ticks - published(h) - dropped(h), "Redis outcome of " + ticks + " ticks", timeout);
    }

    static long published(JsonNode health) {
        return health.path("redis_publisher").path("published").asLong();
    }

    static long dropped(JsonNode health) {
        return health.path("redis_publisher").path("dropped").asLong();
    }

    /**
     * Polls until {@code remaining} reaches 0. Each poll costs the gateway a health snapshot (about
     * 1–2 ms of CPU), so it sleeps for half the estimated time left (5–250 ms): a few dozen polls a
     * pass, and the end still seen within a few milliseconds.
     */
    private JsonNode await(ToLongFunction<JsonNode> remaining, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastLeft = -1;
        long lastAt = 0;
        while (true) {
            JsonNode h = health();
            long now = System.nanoTime();
            long left = remaining.applyAsLong(h);
            if (left <= 0) {
                return h;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited with " + process.exitValue() + "; see " + log);
            }
            if (now > deadline) {
                throw new IllegalStateException("gateway: no " + what + " in " + timeout + " (received "
                        + h.path("total_ticks_received").asLong() + ", published " + published(h) + ", dropped "
                        + dropped(h) + "); see " + log);
            }
            long sleep = MAX_POLL.toNanos();
            if (lastLeft > left) {
                double perNano = (double) (lastLeft - left) / (now - lastAt);
                sleep = (long) Math.max(MIN_POLL.toNanos(), Math.min(sleep, left / perNano / 2));
            }
            lastLeft = left;
            lastAt = now;
            polls++;
            TimeUnit.NANOSECONDS.sleep(sleep);
        }
    }

    /** Health polls made while awaiting a pass, so far. */
    long polls() {
        return polls;
    }

    private void awaitHealth(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 || r.statusCode() == 503) {
                    return; // up (503: not ready yet, e.g. connections still opening)
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited with " + process.exitValue() + " at start; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gateway not up in " + timeout + "; see " + log);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** The documented login form, as a browser sends it; returns the session cookie. */
    private String login() throws IOException, InterruptedException {
        String form = "username=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&next=%2F";
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base())
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("tickstock_session="))
                .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new IllegalStateException("login answered " + r.statusCode()
                        + " without a session cookie; see " + log));
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        LineReader.stop(process, 15);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
