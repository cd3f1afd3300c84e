package io.tickstock.admin.internal.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JSON-lines audit trail: one object per line with {@code time}, {@code user}, {@code client},
 * {@code action}, {@code target}, {@code result} and an optional {@code detail}. Lines are written
 * and flushed synchronously on the request thread (the tick path never writes here). A write
 * failure is logged once and counted, never thrown at the request.
 *
 * <p>Bounded whatever clients send: text fields are clipped ({@link #MAX_TARGET} characters for the
 * target) with every control character escaped, so no request can forge or bloat a line;
 * repeated rejections of anonymous clients and every rate-limited request are summarised per client
 * address and minute ({@link FloodSummary}); the file rotates at a size cap ({@link RotatingFile}).
 */
public final class AuditLog implements AutoCloseable {
    /** Longest target (method and path) written; longer ones end in {@link #CLIPPED}. */
    public static final int MAX_TARGET = 200;
    /** Longest user name and detail written. */
    public static final int MAX_FIELD = 100;
    public static final String CLIPPED = "…";
    /** Client addresses whose rejections are summarised one by one in a minute; beyond, together. */
    public static final int MAX_SUMMARISED_CLIENTS = 1_000;
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_KEEP = 5;

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final Clock clock;
    private final RotatingFile out;
    private final FloodSummary floods;
    private final Object lock = new Object();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong summarised = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public AuditLog(Path file, Clock clock) throws IOException {
        this(file, clock, DEFAULT_MAX_BYTES, DEFAULT_KEEP);
    }

    /**
     * @param maxBytes size at which the live file is rotated
     * @param keep     rotated files kept ({@code <file>.1} … {@code <file>.<keep>})
     */
    public AuditLog(Path file, Clock clock, long maxBytes, int keep) throws IOException {
        this(file, clock, maxBytes, keep, MAX_SUMMARISED_CLIENTS);
    }

    AuditLog(Path file, Clock clock, long maxBytes, int keep, int maxSummarisedClients) throws IOException {
        this.floods = new FloodSummary(maxSummarisedClients);
        this.file = file;
        this.clock = clock;
        this.out = new RotatingFile(file, maxBytes, keep);
    }

    /**
     * Appends one line, or counts it into the minute's summary when it repeats a rejection of an
     * anonymous client (or is rate limited).
     *
     * @param user   user name, or null when anonymous
     * @param client the client address
     * @param action what was attempted, e.g. {@code login}, {@code page}, {@code api}, {@code ws_connect}, {@code reconnect}
     * @param target what it was attempted on (a path, a connection id)
     * @param result {@code ok}, {@code forbidden}, {@code unauthenticated}, {@code rate_limited}, {@code failed} …
     * @param detail optional free text, never a secret; may be null
     */
    public void record(String user, String client, String action, String target, String result, String detail) {
        Instant now = clock.instant();
        long minute = Math.floorDiv(now.getEpochSecond(), 60);
        boolean flood = user == null && !"ok".equals(result) || "rate_limited".equals(result);
        synchronized (lock) {
            writeSummaries(floods.drainBefore(minute), now);
            if (flood && !floods.admit(clip(client, MAX_FIELD), minute)) {
                summarised.incrementAndGet();
                return;
            }
            write(line(now, user, client, action, target, result, detail, null));
        }
    }

    /** Writes the summaries of minutes that are over; the server calls this every few seconds. */
    public void flushSummaries() {
        Instant now = clock.instant();
        synchronized (lock) {
            writeSummaries(floods.drainBefore(Math.floorDiv(now.getEpochSecond(), 60)), now);
        }
    }

    private void writeSummaries(List<FloodSummary.Summary> summaries, Instant now) {
        for (FloodSummary.Summary s : summaries) {
            write(line(now, null, s.client(), "rejections", null, "summarised",
                    "repeated rejections in the minute from " + Instant.ofEpochSecond(s.minute() * 60), s.count()));
        }
    }

    private String line(Instant now, String user, String client, String action, String target, String result,
                        String detail, Long count) {
        StringWriter sw = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(sw)) {
            g.setCharacterEscapes(Escapes.INSTANCE);
            g.writeStartObject();
            g.writeStringField("time", now.toString());
            g.writeStringField("user", clip(user, MAX_FIELD));
            g.writeStringField("client", clip(client, MAX_FIELD));
            g.writeStringField("action", action);
            g.writeStringField("target", clip(target, MAX_TARGET));
            g.writeStringField("result", result);
            if (detail != null) {
                g.writeStringField("detail", clip(detail, MAX_FIELD));
            }
            if (count != null) {
                g.writeNumberField("count", count);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string", e);
        }
        return sw.toString();
    }

    private void write(String line) {
        try {
            out.append(line);
            written.incrementAndGet();
        } catch (IOException e) {
            if (failed.incrementAndGet() == 1) {
                LOG.error("Cannot write audit log {}: {}", file, e.toString());
            }
        }
    }

    static String clip(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--; // never split a character in two
        }
        return s.substring(0, end) + CLIPPED;
    }

    /** Lines written, summaries included. */
    public long linesWritten() {
        return written.get();
    }

    /** Rejections counted into a summary instead of written one by one. */
    public long linesSummarised() {
        return summarised.get();
    }

    public long writeFailures() {
        return failed.get();
    }

    public long rotations() {
        synchronized (lock) {
            return out.rotations();
        }
    }

    public Path file() {
        return file;
    }

    /** Writes every pending summary, the current minute's included, and closes the file. */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            writeSummaries(floods.drainBefore(Long.MAX_VALUE), clock.instant());
            out.close();
        }
    }

    /**
     * JSON already escapes C0 controls; this also escapes DEL, the C1 controls and the Unicode line
     * and paragraph separators, which some viewers take for line breaks.
     */
    private static final class Escapes extends CharacterEscapes {
        static final Escapes INSTANCE = new Escapes();
        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        private Escapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if ((ch >= 0x80 && ch <= 0x9f) || ch == 0x2028 || ch == 0x2029) {
                return new com.fasterxml.jackson.core.io.SerializedString(String.format("\\u%04X", ch));
            }
            return null;
        }
    }
}
