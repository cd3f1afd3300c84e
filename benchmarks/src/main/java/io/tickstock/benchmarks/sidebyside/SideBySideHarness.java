package io.tickstock.benchmarks.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.benchmarks.redis.RedisPublishHarness;
import io.tickstock.redis.testing.RedisServerProcess;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Side by side on one machine: a {@link CorpusServer} streams the same corpus (per connection
 * {@code --events} T+Q events for its own tickers, 200 per frame, after a warm-up pass) over three
 * connections to each reader in turn — the raw discarding reader, the official Massive JS client, the
 * gateway without Redis, with Redis, and with N dashboards open — each a process of its own, timed from
 * the start of the timed pass to its last event, with that process's CPU (all threads) from
 * {@code /proc}. Rounds alternate the readers so a neighbour's burst hits all alike; medians are
 * printed with the ratios the performance targets use, as Markdown to paste.
 *
 * <pre>
 * scripts/bench side-by-side [--rounds 3] [--events 1000000] [--warmup 1000000] [--tickers 1000]
 *     [--readers raw,js,gateway,redis,dashboards] [--dashboards 1,10] [--server-threads 1]
 *     [--gateway-jar tickstock-admin-server/target/tickstock-admin-server-all.jar] [--node-dir benchmarks/node]
 * </pre>
 */
public final class SideBySideHarness {
    private static final String KEY = "side-by-side-key";
    private static final int CONNECTIONS = 3;
    private static final Duration PASS_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int rounds;
    private final long events;
    private final long warmup;
    private final int tickers;
    private final List<String> readers;
    private final List<Integer> dashboardCounts;
    private final int serverThreads;
    private final Path gatewayJar;
    private final Path nodeDir;
    private final Map<String, String> gatewayEnv = new LinkedHashMap<>();
    private final Path work;
    private final List<List<String>> symbols = new ArrayList<>();
    private boolean pollCostShown;
    private long perPoll; // the gateway's CPU nanoseconds per health poll, measured once

    /** One reader's figures in one round. */
    record Run(long events, double seconds, long cpuNanos, long serverCpuNanos, long published, long dropped,
               double publishSeconds, long publishCpuNanos, long redisCpuNanos, long dashboardFrames) {
        double rate() {
            return events / seconds;
        }

        double cpuMicrosPerEvent() {
            return cpuNanos / 1e3 / events;
        }

        double serverMicrosPerEvent() {
            return serverCpuNanos / 1e3 / events;
        }

        double publishRate() {
            return published / publishSeconds;
        }

        double cpuMicrosPerPublished() {
            return published == 0 ? Double.NaN : publishCpuNanos / 1e3 / published;
        }

        /** redis-server's CPU over the same window as {@link #cpuMicrosPerPublished()}, per published tick. */
        double redisMicrosPerPublished() {
            return published == 0 ? Double.NaN : redisCpuNanos / 1e3 / published;
        }
    }

    /** What the run needs is missing: said in one line, without a stack trace. */
    private static final class SetupException extends RuntimeException {
        SetupException(String message) {
            super(message);
        }
    }

    private interface Starter {
        Reader start(RunContext ctx) throws Exception;
    }

    private record RunContext(CorpusServer server, String redisUrl, long redisPid) {
    }

    private record Spec(String name, Starter starter, boolean marker, boolean redis, int dashboards) {
    }

    private SideBySideHarness(Map<String, String> o) throws IOException {
        rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        events = Long.parseLong(o.getOrDefault("events", "1000000"));
        // long enough that the JIT has compiled the Redis path too: the timed pass measures the steady state
        warmup = Long.parseLong(o.getOrDefault("warmup", Long.toString(Math.min(events, 1_000_000))));
        tickers = Integer.parseInt(o.getOrDefault("tickers", "1000"));
        readers = List.of(o.getOrDefault("readers", "raw,js,gateway,redis,dashboards").split(","));
        dashboardCounts = Arrays.stream(o.getOrDefault("dashboards", "1,10").split(",")).map(Integer::valueOf).toList();
        serverThreads = Integer.parseInt(o.getOrDefault("server-threads", "1"));
        gatewayJar = Path.of(o.getOrDefault("gateway-jar", "tickstock-admin-server/target/tickstock-admin-server-all.jar"));
        nodeDir = Path.of(o.getOrDefault("node-dir", "benchmarks/node"));
        // extra settings for every gateway process, e.g. --gateway-env MASSIVE_WEBSOCKET_IO_THREADS=2
        for (String kv : o.getOrDefault("gateway-env", "").split(",")) {
            int eq = kv.indexOf('=');
            if (!kv.isBlank() && eq <= 0) {
                throw new IllegalArgumentException("--gateway-env takes KEY=VALUE[,KEY=VALUE...], got " + kv);
            }
            if (eq > 0) {
                gatewayEnv.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        if (rounds < 1 || events < Corpus.EVENTS_PER_FRAME || warmup < 0 || tickers < 1 || serverThreads < 1) {
            throw new IllegalArgumentException("--rounds >= 1, --events >= 200, --warmup >= 0, --tickers >= 1, "
                    + "--server-threads >= 1");
        }
        for (int c = 0; c < CONNECTIONS; c++) {
            List<String> s = new ArrayList<>();
            for (int i = 0; i < tickers; i++) {
                s.add(String.format(Locale.ROOT, "S%c%04d", (char) ('A' + c), i));
            }
            symbols.add(List.copyOf(s));
        }
        work = Files.createTempDirectory("tickstock-side-by-side");
    }

    public static void main(String[] args) throws Exception {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                System.err.println("usage: SideBySideHarness [--option value]... (see the class Javadoc); got " + args[i]);
                System.exit(2);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        try {
            new SideBySideHarness(opts).run(String.join(" ", args));
        } catch (IllegalArgumentException | SetupException e) {
            System.err.println("side by side: " + e.getMessage());
            System.exit(2);
        }
        System.exit(0);
    }

    private void run(String commandLine) throws Exception {
        String loadStart = RedisPublishHarness.loadAverage();
        Instant started = Instant.now();
        List<Spec> specs = specs();
        System.out.printf(Locale.ROOT, "side by side: %d rounds, %d connections x %,d events (+%,d warm-up) over %d "
                        + "tickers each (T+Q, %d per frame), readers %s; %d cores; logs in %s%n", rounds, CONNECTIONS,
                events, warmup, tickers, Corpus.EVENTS_PER_FRAME, specs.stream().map(Spec::name).toList(),
                Runtime.getRuntime().availableProcessors(), work);
        Map<String, List<Run>> results = new LinkedHashMap<>();
        specs.forEach(s -> results.put(s.name(), new ArrayList<>()));
        RedisServerProcess redis = specs.stream().anyMatch(Spec::redis) ? RedisServerProcess.start() : null;
        try (CorpusServer server = new CorpusServer(KEY, serverThreads, warmup, events); redis) {
            RunContext ctx = new RunContext(server, redis == null ? null : redis.uri(), redis == null ? -1 : redis.pid());
            for (int round = 1; round <= rounds; round++) {
                for (Spec spec : specs) {
                    Run r;
                    try {
                        r = run(spec, ctx);
                    } catch (Exception e) {
                        // one reader's failure (a crash, a timeout) costs its row in this round, not the whole run
                        System.out.printf(Locale.ROOT, "  round %d %-24s FAILED: %s%n", round, spec.name(), e);
                        continue;
                    }
                    results.get(spec.name()).add(r);
                    System.out.printf(Locale.ROOT, "  round %d %-24s %,12.0f events/s  %6.2f CPU-us/event  (harness %.2f)%s%n",
                            round, spec.name(), r.rate(), r.cpuMicrosPerEvent(), r.serverMicrosPerEvent(),
                            spec.redis() ? String.format(Locale.ROOT, "  published %,d (%,.0f/s), dropped %,d, %.2f CPU-us/published"
                                    + " (redis-server %.2f)", r.published(), r.publishRate(), r.dropped(),
                                    r.cpuMicrosPerPublished(), r.redisMicrosPerPublished()) : "");
                }
            }
        }
        new SideBySideReport(results, rounds, events, warmup, tickers).print(System.out, commandLine, started,
                loadStart, RedisPublishHarness.loadAverage());
    }

    private List<Spec> specs() throws Exception {
        List<Spec> specs = new ArrayList<>();
        for (String r : readers) {
            switch (r.strip()) {
                case "raw" -> specs.add(new Spec(SideBySideReport.RAW, ctx -> lineReader("raw", List.of(
                        GatewayProcess.javaExecutable(), "-cp", System.getProperty("java.class.path"),
                        RawReader.class.getName()), Path.of("."), ctx.server().url()), true, false, 0));
                case "js" -> {
                    String skip = prepareNode();
                    if (skip != null) {
                        System.out.println("SKIPPED the official JS client: " + skip);
                    } else {
                        specs.add(new Spec(SideBySideReport.JS, ctx -> lineReader("js", List.of("node", "reader.mjs"),
                                nodeDir, ctx.server().baseUrl()), true, false, 0));
                    }
                }
                case "gateway" -> specs.add(new Spec(SideBySideReport.GATEWAY, ctx -> gateway(ctx, false), false, false, 0));
                case "redis" -> {
                    if (!RedisPublishHarness.installed("redis-server")) {
                        System.out.println("SKIPPED the gateway with Redis: needs redis-server on the PATH");
                    } else {
                        specs.add(new Spec(SideBySideReport.REDIS, ctx -> gateway(ctx, true), false, true, 0));
                    }
                }
                case "dashboards" -> {
                    for (int n : dashboardCounts) {
                        specs.add(new Spec(SideBySideReport.dashboards(n), ctx -> gateway(ctx, false), false, false, n));
                    }
                }
                default -> throw new IllegalArgumentException("unknown reader " + r + " (raw, js, gateway, redis, dashboards)");
            }
        }
        if (specs.stream().anyMatch(s -> s.name().startsWith("gateway"))
                && !Files.isRegularFile(gatewayJar)) {
            throw new SetupException("no gateway jar at " + gatewayJar.toAbsolutePath()
                    + " (build it: mvn -o -pl tickstock-admin-server -am package -DskipTests)");
        }
        return specs;
    }

    private Run run(Spec spec, RunContext ctx) throws Exception {
        try (Reader reader = spec.starter().start(ctx)) {
            List<Corpus> corpora = ctx.server().awaitSettled(CONNECTIONS, 2 * tickers, 300, 120_000);
            long warm = corpora.stream().mapToLong(Corpus::warmupEvents).sum();
            long total = corpora.stream().mapToLong(Corpus::events).sum();
            GatewayProcess gateway = reader instanceof GatewayProcess g ? g : null;
            try (Dashboards dashboards = spec.dashboards() > 0
                    ? new Dashboards(gateway.base(), gateway.cookie(), spec.dashboards()) : null) {
                if (warm > 0) {
                    ctx.server().stream(corpora, true, spec.marker()).get(PASS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    reader.awaitPassEnd(warm, PASS_TIMEOUT);
                    if (spec.redis()) {
                        gateway.awaitPublisherSettled(warm, PASS_TIMEOUT);
                    }
                }
                if (gateway != null && !pollCostShown) {
                    pollCostShown = true;
                    perPoll = gateway.pollCostNanos(200);
                    System.out.printf(Locale.ROOT, "  (after warm-up, a health poll costs the idle gateway %.0f CPU-us; "
                            + "the polls of each timed pass are counted in the gateway's figures)%n", perPoll / 1e3);
                }
                JsonNode before = gateway == null ? null : gateway.health();
                long frames0 = dashboards == null ? 0 : dashboards.frames();
                long polls0 = gateway == null ? 0 : gateway.polls();
                System.gc(); // the corpus build's garbage is not the timed pass's work
                long self = ProcessHandle.current().pid();
                long cpu0 = ProcCpu.nanos(reader.pid());
                long redis0 = spec.redis() ? ProcCpu.nanos(ctx.redisPid()) : 0;
                long srv0 = ProcCpu.nanos(self);
                long t0 = System.nanoTime();
                var written = ctx.server().stream(corpora, false, spec.marker());
                reader.awaitPassEnd(total, PASS_TIMEOUT);
                long t1 = System.nanoTime();
                long cpu1 = ProcCpu.nanos(reader.pid());
                long srv1 = ProcCpu.nanos(self);
                written.get(PASS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                long published = 0;
                long dropped = 0;
                long t2 = t1;
                long cpu2 = cpu1;
                long redis2 = redis0;
                if (spec.redis()) {
                    JsonNode after = gateway.awaitPublisherSettled(total, PASS_TIMEOUT);
                    t2 = System.nanoTime();
                    cpu2 = ProcCpu.nanos(reader.pid());
                    redis2 = ProcCpu.nanos(ctx.redisPid());
                    published = GatewayProcess.published(after) - GatewayProcess.published(before);
                    dropped = GatewayProcess.dropped(after) - GatewayProcess.dropped(before);
                }
                long timed = total - warm;
                if (gateway != null) {
                    long polls = gateway.polls() - polls0;
                    System.out.printf(Locale.ROOT, "    (%d health polls in the timed pass: about %.1f %% of the gateway's CPU "
                            + "in it)%n", polls, 100.0 * polls * perPoll / Math.max(1, cpu2 - cpu0));
                }
                return new Run(timed, (t1 - t0) / 1e9, cpu1 - cpu0, srv1 - srv0, published, dropped, (t2 - t0) / 1e9,
                        cpu2 - cpu0, redis2 - redis0, dashboards == null ? 0 : dashboards.frames() - frames0);
            }
        }
    }

    private Reader lineReader(String name, List<String> command, Path dir, String url) throws IOException {
        Path config = work.resolve(name + "-reader.json");
        List<List<String>> items = new ArrayList<>();
        for (List<String> s : symbols) {
            List<String> i = new ArrayList<>();
            for (String t : s) {
                i.add("T." + t);
                i.add("Q." + t);
            }
            items.add(i);
        }
        JSON.writeValue(config.toFile(), Map.of("url", url, "key", KEY, "connections", items));
        List<String> cmd = new ArrayList<>(command);
        cmd.add(config.toAbsolutePath().toString());
        return new LineReader(cmd, dir, work.resolve(name + "-reader.log"));
    }

    private Reader gateway(RunContext ctx, boolean withRedis) throws Exception {
        return new GatewayProcess(gatewayJar, ctx.server().url(), KEY, symbols, withRedis ? ctx.redisUrl() : null,
                gatewayEnv, work.resolve(withRedis ? "gateway-redis.log" : "gateway.log"));
    }

    /** Null when the JS reader can run (installing its locked packages if missing), else why not. */
    private String prepareNode() throws Exception {
        if (!RedisPublishHarness.installed("node") || !RedisPublishHarness.installed("npm")) {
            return "needs node and npm on the PATH";
        }
        if (!Files.isRegularFile(nodeDir.resolve("reader.mjs"))) {
            return "no " + nodeDir.resolve("reader.mjs") + " (run from the repository root or pass --node-dir)";
        }
        if (!Files.isDirectory(nodeDir.resolve("node_modules/@massive.com/client-js"))) {
            System.out.println("npm ci in " + nodeDir + " ...");
            Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(nodeDir.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("npm-ci.log").toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                return "npm ci failed; see " + work.resolve("npm-ci.log");
            }
        }
        return null;
    }
}
