package io.tickstock.benchmarks.redis;

import io.tickstock.core.event.Trade;
import io.tickstock.redis.LastValueConfig;
import io.tickstock.redis.PublishMode;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisConnector;
import io.tickstock.redis.RedisTickPublisher;
import io.tickstock.redis.TickJson;
import io.tickstock.redis.testing.RedisServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publisher throughput beside {@code redis-benchmark}'s pipelined PUBLISH of the same payload, against
 * the same freshly started {@code redis-server} in the same run: one publisher per publish mode
 * ({@code REDIS_PUBLISH_MODE} script and commands, each on its own connection), rounds alternating
 * redis-benchmark and the modes. Per run it prints the rate, the publisher JVM's CPU per tick (by
 * thread, with bytes allocated) and redis-server's CPU per tick (from {@code /proc/<pid>/stat}: the
 * server shares the machine's cores with the publisher).
 *
 * <p>Run: {@code scripts/bench} (all harnesses) or
 * {@code java -cp benchmarks/target/benchmarks.jar io.tickstock.benchmarks.redis.RedisPublishHarness [--last-value=N] [ticks] [rounds] [modes=script,commands]}.
 * {@code --last-value=N}: the publishers also keep the last-value hashes (default cap), and the ticks cycle
 * through N tickers instead of 100 (the gateway's case: thousands, so a batch has few repeats).
 * Needs {@code redis-server} and {@code redis-benchmark} on the PATH (Debian: redis-server, redis-tools).
 */
public final class RedisPublishHarness {
    private static final String CHANNEL = RedisConfig.DEFAULT_CHANNEL;

    private RedisPublishHarness() {
    }

    public static void main(String[] argv) throws Exception {
        quietLogs();
        int lastValueTickers = 0; // 0: no last-value hashes, 100 tickers
        List<String> positional = new ArrayList<>();
        for (String a : argv) {
            if (a.startsWith("--last-value=")) {
                lastValueTickers = Integer.parseInt(a.substring("--last-value=".length()));
            } else {
                positional.add(a);
            }
        }
        String[] args = positional.toArray(String[]::new);
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<PublishMode> modes = java.util.Arrays.stream((args.length > 2 ? args[2] : "script,commands").split(","))
                .map(m -> PublishMode.valueOf(m.strip().toUpperCase(Locale.ROOT))).toList();
        if (!installed("redis-server") || !installed("redis-benchmark")) {
            System.out.println("SKIPPED: needs redis-server and redis-benchmark on the PATH "
                    + "(apt-get install -y redis-server redis-tools)");
            return;
        }
        List<Trade> ticks = ticks(n, lastValueTickers > 0 ? lastValueTickers : 100);
        String payload = new String(TickJson.write(ticks.get(0)), StandardCharsets.UTF_8);
        System.out.println("load average at start: " + RedisPublishHarness.loadAverage());
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                System.out.println("load average at end: " + RedisPublishHarness.loadAverage())));
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            System.out.printf(Locale.ROOT, "redis-server %s on port %d, payload %d bytes: %s%n",
                    version(), redis.port(), payload.length(), payload);
            List<String> cmd = List.of("redis-benchmark", "-h", redis.host(), "-p", Integer.toString(redis.port()),
                    "-P", "32", "-n", Integer.toString(n), "--csv", "PUBLISH", CHANNEL, payload);
            System.out.println("command: redis-benchmark -P 32 -n " + n + " PUBLISH " + CHANNEL + " '" + payload + "'");

            List<String> oneConnection = new ArrayList<>(cmd);
            oneConnection.addAll(1, List.of("-c", "1"));

            // The same server, alternating rounds, so that a neighbour's load hits both sides alike.
            RedisConfig cfg = RedisConfig.from(io.tickstock.core.config.Settings.load().with(java.util.Map.of(
                    "REDIS_URL", redis.uri(), "REDIS_PUBLISH_QUEUE_CAPACITY", Integer.toString(n)))).orElseThrow();
            System.out.println(cfg);
            System.out.println(lastValueTickers > 0 ? "last-value hashes on, " + lastValueTickers + " tickers"
                    : "last-value hashes off, 100 tickers");
            // with the hashes, each publisher runs on a connector of its mode, closed after it
            List<RedisConnector> connectors = new ArrayList<>();
            // The queue holds a whole round, so the producer hands everything over in a few ms and the
            // figure is the publisher's own rate. Other REDIS_* settings may be given as -D properties.
            long pid = redis.pid();
            double[] rb = new double[rounds];
            double[] rb1 = new double[rounds];
            double[][] ours = new double[modes.size()][rounds];
            double[][] jvmNs = new double[modes.size()][rounds];
            double[][] redisNs = new double[modes.size()][rounds];
            double[] rb1RedisNs = new double[rounds];
            List<RedisTickPublisher> pubs = new ArrayList<>();
            try {
                for (PublishMode m : modes) {
                    RedisTickPublisher pub;
                    if (lastValueTickers > 0) {
                        RedisConnector c = RedisConnector.create(cfg.withPublishMode(m));
                        connectors.add(c);
                        pub = RedisTickPublisher.start(c, LastValueConfig.defaults());
                    } else {
                        pub = RedisTickPublisher.start(cfg.withPublishMode(m));
                    }
                    pubs.add(pub);
                    while (!pub.isConnected()) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                    }
                }
                // JIT warm-up: on a busy 2-core machine C2 needs a few million ticks to settle
                for (int w = 0; w < 3; w++) {
                    for (RedisTickPublisher pub : pubs) {
                        publish(pub, ticks, pid);
                    }
                }
                System.out.println("  (warm-up done)");
                for (int r = 0; r < rounds; r++) {
                    rb[r] = redisBenchmark(cmd);
                    long redis0 = processCpuNanos(pid);
                    rb1[r] = redisBenchmark(oneConnection);
                    rb1RedisNs[r] = (processCpuNanos(pid) - redis0) / (double) n;
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                            "round %d: redis-benchmark -P 32 %,.0f/s | -P 32 -c 1 %,.0f/s (redis-server %.0f ns/PUBLISH)",
                            r + 1, rb[r], rb1[r], rb1RedisNs[r]));
                    // alternate the modes' order from round to round
                    for (int k = 0; k < modes.size(); k++) {
                        int i = (r + k) % modes.size();
                        Run run = publish(pubs.get(i), ticks, pid);
                        ours[i][r] = run.rate();
                        jvmNs[i][r] = run.jvmNsPerTick();
                        redisNs[i][r] = run.redisNsPerTick();
                    }
                    for (int i = 0; i < modes.size(); i++) {
                        line.append(String.format(Locale.ROOT, " | %s %,.0f/s = %.2fx -c 1 (JVM %.0f ns, redis-server %.0f ns per tick)",
                                modes.get(i).configName(), ours[i][r], ours[i][r] / rb1[r], jvmNs[i][r], redisNs[i][r]));
                    }
                    System.out.println(line);
                }
                for (int i = 0; i < modes.size(); i++) {
                    System.out.printf(Locale.ROOT, "%s: dropped %d, batches %s, mode in use %s%n", modes.get(i).configName(),
                            pubs.get(i).dropped(), pubs.get(i).health().get("batches"),
                            pubs.get(i).health().get("publish_mode"));
                }
            } finally {
                pubs.forEach(RedisTickPublisher::close);
                connectors.forEach(RedisConnector::close);
            }
            System.out.printf(Locale.ROOT, "median: redis-benchmark -P 32 %,.0f PUBLISH/s, -c 1 %,.0f PUBLISH/s "
                    + "(redis-server %.0f ns CPU per PUBLISH)%n", median(rb), median(rb1), median(rb1RedisNs));
            for (int i = 0; i < modes.size(); i++) {
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = ours[i][r] / rb1[r];
                }
                System.out.printf(Locale.ROOT, "%s: %,.0f ticks/s; ratio to redis-benchmark -P 32 -c 1 median %.2f "
                        + "(per round %s), target >= 0.8; JVM CPU %.0f ns per tick (target <= 1000); redis-server "
                        + "CPU %.0f ns per tick%n", modes.get(i).configName(), median(ours[i]), median(ratio),
                        java.util.Arrays.toString(java.util.Arrays.stream(ratio).map(x -> Math.round(x * 100) / 100.0)
                                .toArray()), median(jvmNs[i]), median(redisNs[i]));
            }
        }
    }

    /** One timed pass: ticks/s, the JVM's and redis-server's CPU per tick. */
    private record Run(double rate, double jvmNsPerTick, double redisNsPerTick) {
    }

    /** utime + stime of a process from {@code /proc/<pid>/stat} (clock ticks of 10 ms on Linux). */
    private static long processCpuNanos(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // fields 14 and 15
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Ticks/s from the first offer until Redis acknowledged the last one, and the CPU it took. */
    private static Run publish(RedisTickPublisher pub, List<Trade> ticks, long redisPid) {
        long base = pub.published();
        long dropsBefore = pub.dropped();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long redis0 = processCpuNanos(redisPid);
        java.util.Map<String, Long> threads0 = threadCpuByRole();
        long t0 = System.nanoTime();
        for (Trade t : ticks) {
            pub.accept(t);
        }
        long target = base + ticks.size();
        while (pub.published() + (pub.dropped() - dropsBefore) < target) {
            LockSupport.parkNanos(100_000);
        }
        long elapsed = System.nanoTime() - t0;
        double redisNs = (processCpuNanos(redisPid) - redis0) / (double) ticks.size();
        double jvmNs = (os.getProcessCpuTime() - cpu0) / (double) ticks.size();
        // CPU per tick hardly depends on what the neighbours do, unlike the rate
        java.util.Map<String, Long> threads1 = threadCpuByRole();
        StringBuilder roles = new StringBuilder();
        threads1.forEach((role, ns) -> roles.append(String.format(Locale.ROOT, ", %s %.0f",
                role, (ns - threads0.getOrDefault(role, 0L)) / (double) ticks.size())));
        System.out.printf(Locale.ROOT, "  %s: publisher JVM CPU %.0f ns per tick (by thread, per tick: ns CPU and bytes "
                + "allocated%s); redis-server CPU %.0f ns per tick%n", pub.health().get("publish_mode"), jvmNs, roles,
                redisNs);
        if (pub.dropped() != dropsBefore) {
            System.out.println("WARNING: " + (pub.dropped() - dropsBefore) + " ticks dropped in this round");
        }
        return new Run(ticks.size() * 1e9 / elapsed, jvmNs, redisNs);
    }

    /**
     * CPU time of the live threads by role: the producer (this harness's main thread, standing in for the
     * feed), the publisher thread, Lettuce's event loop; JIT, GC and the rest are the difference to the
     * process total.
     */
    private static java.util.Map<String, Long> threadCpuByRole() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti == null) {
                continue;
            }
            String name = ti.getThreadName();
            String role = name.equals("main") ? "producer" : name.startsWith("tickstock-redis-publisher")
                    ? "publisher" : name.startsWith("lettuce-") && name.contains("EventLoop") ? "event-loop" : null;
            long cpu = role == null ? -1 : mx.getThreadCpuTime(ti.getThreadId());
            if (cpu > 0) {
                out.merge(role, cpu, Long::sum);
                if (mx instanceof com.sun.management.ThreadMXBean hs) { // bytes, unmoved by the neighbours
                    out.merge(role + " B allocated", hs.getThreadAllocatedBytes(ti.getThreadId()), Long::sum);
                }
            }
        }
        return out;
    }

    private static double redisBenchmark(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        double rps = -1;
        int columnsAfterRps = -1;
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                // --csv: "test","rps","avg_latency_ms",…  then  "PUBLISH tickstock:…","123456.78",…
                // the test name holds the payload's quotes unescaped, so count columns from the end
                if (line.startsWith("\"test\"")) {
                    String[] head = line.split(",");
                    columnsAfterRps = head.length - 2;
                } else if (line.startsWith("\"PUBLISH") && columnsAfterRps >= 0) {
                    String[] cols = line.split(",");
                    rps = Double.parseDouble(cols[cols.length - 1 - columnsAfterRps].replace("\"", ""));
                }
            }
        }
        if (p.waitFor() != 0 || rps < 0) {
            throw new IllegalStateException("redis-benchmark failed:\n" + out);
        }
        return rps;
    }

    /** Whether {@code <program> --version} runs. */
    public static boolean installed(String program) {
        try {
            Process p = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code /proc/loadavg}: on a shared machine, the figures mean little without it. */
    public static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Library debug logging would measure the console, not Redis. */
    public static void quietLogs() {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.INFO);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.lettuce"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.netty"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    private static String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return v.replaceAll(".*v=([^ ]+).*", "$1");
    }

    /** Trades with the documented example message's shape (AAPL, connection_1) cycling through {@code symbols} tickers. */
    private static List<Trade> ticks(int n, int symbols) {
        List<Trade> out = new ArrayList<>(n);
        long t0 = 1_705_853_696_123L;
        for (int i = 0; i < n; i++) {
            String sym = i % symbols == 0 ? "AAPL" : "S" + (i % symbols);
            out.add(new Trade("connection_1", sym, 4, "t", 178.23 + (i % 100) / 100.0, 50_000, List.of(),
                    t0 + i, i / symbols, 3, t0 + i));
        }
        return out;
    }
}
