package io.tickstock.redis.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one real {@code redis-server} per test class, on a free loopback port, stopped after
 * the class. Before each test it makes sure the server runs (a test may have killed it) and flushes it.
 * Fails, never skips, when {@code redis-server} is missing. Register with
 * {@code @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();}.
 */
public final class RedisServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private RedisServerProcess server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServerProcess.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!server.isRunning()) {
            server.restart();
        }
        flushAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    private void flushAll() {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            s.getOutputStream().write("FLUSHALL\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getInputStream().read(new byte[16]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("FLUSHALL failed", e);
        }
    }

    public RedisServerProcess server() {
        return server;
    }

    public String uri() {
        return server.uri();
    }

    public int port() {
        return server.port();
    }
}
