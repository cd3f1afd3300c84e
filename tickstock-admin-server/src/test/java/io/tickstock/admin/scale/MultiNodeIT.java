package io.tickstock.admin.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tickstock.admin.internal.dashboard.Browser;
import io.tickstock.emulator.MassiveEmulator;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import io.tickstock.redis.PublishedTick;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisTickSubscriber;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway processes and one admin server on one machine, sharing a Redis and one Massive account
 * (the emulator, limited to three connections per key). Child JVMs are real processes; "kill -9" is
 * {@link Process#destroyForcibly()}. The figures printed ({@code FIGURE …}) are in docs/scaling.md.
 */
class MultiNodeIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final String API_KEY = "sk-multi-node-4f1e9c2b7a";
    private static final String PASSWORD = "multi-node-admin-pw";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private MassiveEmulator emulator;
    private final List<NodeProcess> processes = new ArrayList<>();
    private RedisClient redisClient;
    private StatefulRedisConnection<String, String> redis;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger maxSessions = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        emulator = MassiveEmulator.builder().host("127.0.0.1").port(0).apiKeys(API_KEY).maxConnectionsPerKey(3)
                .eventsPerSecond(1_500).sequenceJumps(false) // TickLog reads a missing q as a lost tick
                .build().start();
        redisClient = RedisClient.create(REDIS.uri());
        redis = redisClient.connect();
        // the account limit must hold at every moment, not only at the end
        sampler.scheduleAtFixedRate(() -> maxSessions.accumulateAndGet(emulator.authenticatedSessions().size(), Math::max),
                0, 20, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stop() {
        sampler.shutdownNow();
        for (NodeProcess p : processes) {
            p.close(); // SIGKILL whatever is still running, even after a failure
        }
        if (redis != null) {
            redis.close();
        }
        if (redisClient != null) {
            redisClient.shutdown();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void twoNodesShareThreeSlotsAndASurvivorTakesOverAfterKill9() throws Exception {
        NodeProcess a = node("node-a", nodeEnv("node-a", 3, symbols(9), false));
        await().atMost(Duration.ofSeconds(60)).until(() -> count(snapshot("node-a"), "connected") == 3);

        NodeProcess b = node("node-b", nodeEnv("node-b", 3, symbols(9), false));
        int port = freePort();
        node("admin", adminEnv(port));
        await().atMost(Duration.ofSeconds(60)).until(() -> count(snapshot("node-b"), "connecting") == 3);
        // the waiting node never opens a socket: three sessions, no eviction
        assertThat(emulator.authenticatedSessions()).hasSize(3);

        // one admin server shows both nodes, one group of connections each (once it listens: its
        // start-up hashes the built-in admin's password)
        await().atMost(Duration.ofSeconds(60)).ignoreException(java.net.ConnectException.class).untilAsserted(() -> {
            JsonNode status = status(port);
            assertThat(nodeIds(status)).containsExactly("node-a", "node-b");
            assertThat(status.path("connections")).hasSize(6);
            assertThat(status.path("nodes").get(0).path("connections")).hasSize(3);
            assertThat(status.path("nodes").get(0).path("connections").get(0).path("connection_id").asText())
                    .isEqualTo("node-a/connection_1");
        });

        ChromeDriver browser = openDashboard(port);
        try {
            // the page: one group of three columns per node, live ticks on the connected node's columns
            await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElements(By.cssSelector(".node-group")).size() == 2);
            assertThat(browser.findElements(By.cssSelector(".node-group[data-node-id='node-a'] section.conn"))).hasSize(3);
            assertThat(browser.findElements(By.cssSelector(".node-group[data-node-id='node-b'] section.conn"))).hasSize(3);
            await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) browser.executeScript(
                    "return document.querySelectorAll(\".node-group[data-node-id='node-a'] .tick-rows > *\").length"))
                    .intValue() > 0);
            screenshot(browser, "admin-nodes.png");

            long killed = System.nanoTime();
            a.kill9();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> emulator.authenticatedSessions().size() == 3);
            long takeoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.printf("FIGURE slot takeover after kill -9: %d ms (3 connections, lease TTL 5s)%n", takeoverMs);
            assertThat(takeoverMs).isLessThan(10_000);
            // the page re-renders without the dead node once its snapshot expired
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector(".node-group")).size() == 1
                    && browser.findElements(By.cssSelector(".node-group[data-node-id='node-b']")).size() == 1);
        } finally {
            browser.quit();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> count(snapshot("node-b"), "connected") == 3);
        assertThat(nodeIds(status(port))).containsExactly("node-b");
        assertThat(maxSessions.get()).as("connections of the key at any sample").isLessThanOrEqualTo(3);
        assertThat(emulator.evictions()).isZero();
        assertThat(b.isAlive()).isTrue();
    }

    private ChromeDriver openDashboard(int port) throws IOException {
        assertThat(Browser.available()).as("chromium and chromedriver (apt-get install -y chromium chromium-driver)").isTrue();
        ChromeDriver d = Browser.start(dir.resolve("chromium"), 1400, 1700);
        d.get("http://127.0.0.1:" + port + "/login");
        d.findElement(By.id("username")).sendKeys("admin");
        d.findElement(By.id("password")).sendKeys(PASSWORD);
        d.findElement(By.id("login-submit")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> d.getCurrentUrl().endsWith("/admin/websockets"));
        return d;
    }

    private static void screenshot(ChromeDriver d, String name) throws IOException {
        Path shot = Path.of("target", "screenshots", name);
        java.nio.file.Files.createDirectories(shot.getParent());
        java.nio.file.Files.copy(d.getScreenshotAs(OutputType.FILE).toPath(), shot,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void killedNodeIsShownStaleBeforeItIsDropped() throws Exception {
        int port = freePort();
        node("admin", adminEnv(port));
        Map<String, String> env = nodeEnv("node-s", 1, symbols(3), false);
        env.put("TICKSTOCK_NODE_HEALTH_TTL", "8s"); // stale after 2 s, gone after 8 s
        NodeProcess s = node("node-s", env);
        await().atMost(Duration.ofSeconds(60)).until(() -> count(snapshot("node-s"), "connected") == 1);
        await().atMost(Duration.ofSeconds(10)).ignoreException(java.net.ConnectException.class)
                .until(() -> status(port).path("nodes").size() == 1); // the admin process may still be starting
        assertThat(status(port).path("nodes").get(0).path("stale").asBoolean()).isFalse();
        s.kill9();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(port).path("nodes").path(0).path("stale").asBoolean());
        await().atMost(Duration.ofSeconds(15)).until(() -> status(port).path("nodes").isEmpty());
    }

    @Test
    void tickersMoveMakeBeforeBreakWhenANodeJoinsAndComeBackAfterKill9() throws Exception {
        List<String> tickers = symbols(24);
        TickLog log = new TickLog();
        try (RedisTickSubscriber sub = RedisTickSubscriber.start(RedisConfig.of(REDIS.uri()), t -> log.add((PublishedTick) t))) {
            node("node-a", nodeEnv("node-a", 1, tickers, true));
            await().atMost(Duration.ofSeconds(60)).until(() -> served(snapshot("node-a")).size() == 24);
            await().atMost(Duration.ofSeconds(20)).until(() -> log.symbols().containsAll(tickers));

            long joinAt = System.nanoTime();
            NodeProcess b = node("node-b", nodeEnv("node-b", 1, tickers, true));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Set<String> sa = served(snapshot("node-a"));
                Set<String> sb = served(snapshot("node-b"));
                return !sb.isEmpty() && sa.size() + sb.size() == 24 && disjoint(sa, sb);
            });
            Set<String> moved = served(snapshot("node-b"));
            long handoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinAt);
            long afterJoin = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> log.symbolsSince(afterJoin).containsAll(tickers));
            long joinEnd = System.nanoTime();
            TickLog.Figures join = log.figures(moved, joinAt, joinEnd);
            Set<String> stayed = new TreeSet<>(tickers);
            stayed.removeAll(moved);
            TickLog.Figures control = log.figures(stayed, joinAt, joinEnd);
            System.out.printf("FIGURE shard join: %d of 24 tickers moved to node-b within %d ms; over the move "
                    + "%d ticks of moved tickers, %d lost (missing q), %d duplicates (same q twice), largest gap "
                    + "%d ms (tickers that stayed: largest gap %d ms)%n", moved.size(), handoverMs, join.ticks(),
                    join.lost(), join.duplicates(), join.maxGapMs(), control.maxGapMs());
            assertThat(join.lost()).as("no tick of a moved ticker is lost during the hand-over").isZero();
            // a break-before-make would silence moved tickers for a whole shard round at least
            assertThat(join.maxGapMs()).isLessThan(control.maxGapMs() + 1_000);

            // a clean stop (SIGTERM) leaves make-before-break: node-a takes the tickers back before node-b's feed closes
            long leaveAt = System.nanoTime();
            b.stop();
            long stoppedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - leaveAt);
            await().atMost(Duration.ofSeconds(30)).until(() -> served(snapshot("node-a")).size() == 24);
            long afterLeave = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> log.symbolsSince(afterLeave).containsAll(tickers));
            TickLog.Figures leave = log.figures(moved, leaveAt, System.nanoTime());
            System.out.printf("FIGURE shard clean leave (SIGTERM): node-b stopped after %d ms; %d ticks of its tickers, "
                    + "%d lost (missing q), %d duplicates, largest gap %d ms%n", stoppedMs, leave.ticks(), leave.lost(),
                    leave.duplicates(), leave.maxGapMs());
            assertThat(leave.lost()).isZero();

            b = node("node-b2", nodeEnv("node-b", 1, tickers, true)); // the same node id joins again
            await().atMost(Duration.ofSeconds(60)).until(() -> served(snapshot("node-b")).equals(moved)
                    && served(snapshot("node-a")).size() == 24 - moved.size());
            long killed = System.nanoTime();
            b.kill9();
            await().atMost(Duration.ofSeconds(30)).until(() -> served(snapshot("node-a")).size() == 24);
            long backMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            long afterBack = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> log.symbolsSince(afterBack).containsAll(moved));
            TickLog.Figures fail = log.figures(moved, killed, System.nanoTime());
            double perTickerRate = log.rate(moved, joinAt, leaveAt);
            System.out.printf("FIGURE shard failover after kill -9: node-a serves all 24 again after %d ms; largest "
                    + "gap of a moved ticker %d ms (~%.0f ticks missed per ticker at %.1f ticks/s; the emulator "
                    + "pauses a ticker nobody subscribes, so q shows %d missing)%n",
                    backMs, fail.maxGapMs(), fail.maxGapMs() / 1000.0 * perTickerRate, perTickerRate, fail.lost());
            assertThat(backMs).isLessThan(15_000);
            assertThat(sub.health()).containsEntry("malformed", 0L);
        }
        assertThat(maxSessions.get()).isLessThanOrEqualTo(3);
    }

    // ---- helpers ----

    private NodeProcess node(String name, Map<String, String> env) {
        NodeProcess p = NodeProcess.start(name, env, dir);
        processes.add(p);
        return p;
    }

    private Map<String, String> nodeEnv(String id, int slots, List<String> tickers, boolean sharding) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_URL", REDIS.uri());
        env.put("MASSIVE_API_KEY", API_KEY);
        env.put("MASSIVE_WEBSOCKET_URL", emulator.url());
        env.put("MASSIVE_SUBSCRIPTION_CHANNELS", "T");
        env.put("USE_MULTI_CONNECTION", "true");
        env.put("WEBSOCKET_CONNECT_TIMEOUT", "2s");
        for (int n = 1; n <= slots; n++) {
            env.put("WEBSOCKET_CONNECTION_" + n + "_ENABLED", "true");
            int from = (n - 1) * tickers.size() / slots;
            int to = n * tickers.size() / slots;
            env.put("WEBSOCKET_CONNECTION_" + n + "_SYMBOLS", String.join(",", tickers.subList(from, to)));
        }
        env.put("TICKSTOCK_NODE_ID", id);
        env.put("TICKSTOCK_SHARDING", sharding ? "on" : "off");
        env.put("ADMIN_PORT", "0");
        env.put("ADMIN_PASSWORD", PASSWORD);
        env.put("ADMIN_AUDIT_LOG", dir.resolve("audit-" + id + ".log").toString());
        return env;
    }

    private Map<String, String> adminEnv(int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_URL", REDIS.uri());
        env.put("ADMIN_HEALTH_SOURCE", "redis");
        env.put("ADMIN_PORT", Integer.toString(port));
        env.put("ADMIN_PASSWORD", PASSWORD);
        env.put("ADMIN_RATE_LIMIT_API", "100000/1m");
        env.put("ADMIN_AUDIT_LOG", dir.resolve("audit-admin.log").toString());
        return env;
    }

    private static List<String> symbols(int n) {
        String[] base = {"AAPL", "MSFT", "NVDA", "GOOGL", "AMZN", "META", "TSLA", "JPM", "V", "UNH", "XOM", "JNJ",
                "WMT", "MA", "PG", "HD", "CVX", "MRK", "ABBV", "KO", "PEP", "COST", "AVGO", "ADBE"};
        return IntStream.range(0, n).mapToObj(i -> base[i]).toList();
    }

    private JsonNode snapshot(String node) throws IOException {
        String json = redis.sync().get("tickstock:node:" + node + ":health");
        return json == null ? JSON.createObjectNode() : JSON.readTree(json);
    }

    private static long count(JsonNode snapshot, String status) {
        long n = 0;
        for (JsonNode c : snapshot.path("connections")) {
            n += status.equals(c.path("status").asText()) ? 1 : 0;
        }
        return n;
    }

    private static Set<String> served(JsonNode snapshot) {
        Set<String> out = new TreeSet<>();
        for (JsonNode c : snapshot.path("connections")) {
            c.path("tickers").forEach(t -> out.add(t.asText()));
        }
        return out;
    }

    private static boolean disjoint(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both.isEmpty();
    }

    private JsonNode status(int port) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/admin/websocket-status")).header("Authorization", "Basic " + auth)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("status " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    private static List<String> nodeIds(JsonNode status) {
        List<String> ids = new ArrayList<>();
        status.path("nodes").forEach(n -> ids.add(n.path("node_id").asText()));
        return ids;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Every tick seen on the Redis channel: arrival time and sequence per symbol. */
    static final class TickLog {
        private final Map<String, List<long[]>> bySymbol = new ConcurrentHashMap<>();

        void add(PublishedTick t) {
            List<long[]> l = bySymbol.computeIfAbsent(t.symbol(), s -> new ArrayList<>());
            synchronized (l) {
                l.add(new long[] {System.nanoTime(), t.sequence()});
            }
        }

        Set<String> symbols() {
            return bySymbol.keySet();
        }

        Set<String> symbolsSince(long nanos) {
            Set<String> out = new HashSet<>();
            bySymbol.forEach((s, l) -> {
                synchronized (l) {
                    if (!l.isEmpty() && l.get(l.size() - 1)[0] > nanos) {
                        out.add(s);
                    }
                }
            });
            return out;
        }

        record Figures(long ticks, long lost, long duplicates, long maxGapMs) {
        }

        Figures figures(Set<String> symbols, long from, long to) {
            long ticks = 0;
            long dups = 0;
            long lost = 0;
            long maxGap = 0;
            for (String s : symbols) {
                List<long[]> l = bySymbol.getOrDefault(s, List.of());
                synchronized (l) {
                    Set<Long> seen = new HashSet<>();
                    long prev = -1;
                    for (long[] e : l) {
                        if (e[0] < from || e[0] > to) {
                            prev = e[0] < from ? e[0] : prev;
                            continue;
                        }
                        ticks++;
                        if (!seen.add(e[1])) {
                            dups++;
                        }
                        if (prev >= 0) {
                            maxGap = Math.max(maxGap, e[0] - prev);
                        }
                        prev = e[0];
                    }
                    if (!seen.isEmpty()) { // the emulator's q is dense per ticker: a missing value is a lost tick
                        long lo = seen.stream().mapToLong(Long::longValue).min().orElseThrow();
                        long hi = seen.stream().mapToLong(Long::longValue).max().orElseThrow();
                        lost += hi - lo + 1 - seen.size();
                    }
                }
            }
            return new Figures(ticks, lost, dups, TimeUnit.NANOSECONDS.toMillis(maxGap));
        }

        /** Mean ticks per second per symbol of {@code symbols} between two times. */
        double rate(Set<String> symbols, long from, long to) {
            long n = 0;
            for (String s : symbols) {
                List<long[]> l = bySymbol.getOrDefault(s, List.of());
                synchronized (l) {
                    n += l.stream().filter(e -> e[0] >= from && e[0] <= to).count();
                }
            }
            return symbols.isEmpty() ? 0 : n / (double) symbols.size() / ((to - from) / 1e9);
        }
    }
}
