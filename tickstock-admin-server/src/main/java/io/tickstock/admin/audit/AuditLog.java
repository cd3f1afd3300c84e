package io.tickstock.admin.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JSON-lines audit trail: one object per line with {@code time}, {@code user}, {@code client},
 * {@code action}, {@code target}, {@code result} and an optional {@code detail}. Lines are written
 * and flushed synchronously on the request thread (requests are rate limited; the tick path never
 * writes here). A write failure is logged and counted, never thrown at the request.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final Clock clock;
    private final BufferedWriter out;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public AuditLog(Path file, Clock clock) throws IOException {
        this.file = file;
        this.clock = clock;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /**
     * Appends one line.
     *
     * @param user   user name, or null when anonymous
     * @param client the client address
     * @param action what was attempted, e.g. {@code login}, {@code page}, {@code api}, {@code ws_connect}, {@code reconnect}
     * @param target what it was attempted on (a path, a connection id)
     * @param result {@code ok}, {@code denied}, {@code unauthenticated}, {@code rate_limited}, {@code failed} …
     * @param detail optional free text, never a secret; may be null
     */
    public void record(String user, String client, String action, String target, String result, String detail) {
        String line;
        try {
            StringWriter sw = new StringWriter(160);
            try (JsonGenerator g = JSON.createGenerator(sw)) {
                g.writeStartObject();
                g.writeStringField("time", clock.instant().toString());
                g.writeStringField("user", user);
                g.writeStringField("client", client);
                g.writeStringField("action", action);
                g.writeStringField("target", target);
                g.writeStringField("result", result);
                if (detail != null) {
                    g.writeStringField("detail", detail);
                }
                g.writeEndObject();
            }
            line = sw.toString();
        } catch (IOException e) {
            failed.incrementAndGet();
            return;
        }
        synchronized (out) {
            try {
                out.write(line);
                out.write('\n');
                out.flush();
                written.incrementAndGet();
            } catch (IOException e) {
                if (failed.incrementAndGet() == 1) {
                    LOG.error("Cannot write audit log {}: {}", file, e.toString());
                }
            }
        }
    }

    public long linesWritten() {
        return written.get();
    }

    public long writeFailures() {
        return failed.get();
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        synchronized (out) {
            out.close();
        }
    }
}
