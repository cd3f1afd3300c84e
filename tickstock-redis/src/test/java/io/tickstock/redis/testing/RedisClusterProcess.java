package io.tickstock.redis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A three-master Redis Cluster on loopback for tests: three {@code redis-server --cluster-enabled yes} on
 * free ports in a temporary directory, joined with {@code redis-cli --cluster create … --cluster-replicas 0},
 * ready once every node reports {@code cluster_state:ok}. {@link #close()} kills them and deletes the
 * directory.
 */
public final class RedisClusterProcess implements AutoCloseable {
    private final Path dir;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();

    private RedisClusterProcess(Path dir) {
        this.dir = dir;
    }

    public static RedisClusterProcess start() {
        RedisClusterProcess c;
        try {
            c = new RedisClusterProcess(Files.createTempDirectory("tickstock-redis-cluster-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            c.startAll();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void startAll() {
        String exe = System.getProperty(RedisServerProcess.EXECUTABLE_PROPERTY, "redis-server");
        for (int i = 0; i < 3; i++) {
            int port = freePort();
            ports.add(port);
            List<String> cmd = List.of(exe, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
                    "--cluster-node-timeout", "2000", "--save", "", "--appendonly", "no", "--dir", dir.toString());
            try {
                servers.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start());
            } catch (IOException e) {
                throw new IllegalStateException("cannot start redis-server (apt-get install -y redis-server)", e);
            }
        }
        for (int port : ports) {
            awaitReply(port, "PING", "PONG");
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        ports.forEach(p -> create.add("127.0.0.1:" + p));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        String out = run(create);
        if (!out.contains("All 16384 slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + out);
        }
        for (int port : ports) {
            awaitReply(port, "CLUSTER INFO", "cluster_state:ok");
        }
    }

    private void awaitReply(int port, String command, String expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last = "";
        while (System.nanoTime() < deadline) {
            List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
            cmd.addAll(List.of(command.split(" ")));
            last = run(cmd);
            if (last.contains(expected)) {
                return;
            }
            try {
                servers.get(0).waitFor(100, TimeUnit.MILLISECONDS); // bounded pause between probes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Redis on port " + port + " never answered " + expected + " to " + command
                + ": " + last);
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(20, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** {@code redis://127.0.0.1:<first port>}: one seed node; clients discover the others. */
    public String uri() {
        return "redis://127.0.0.1:" + ports.get(0);
    }

    /** {@code redis-cli -p <port> <args…>} output, for assertions. */
    public String cli(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    @Override
    public void close() {
        for (Process p : servers) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
