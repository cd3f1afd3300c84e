package io.tickstock.feed.massive.capture;

import io.tickstock.core.capture.CaptureFiles;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.zip.GZIPOutputStream;

/**
 * One open journal file: gzip over a byte counter, written by the capture thread only. Record layout
 * (see docs/capture-replay.md): {@code <receive ms> <length> <frame bytes>\n}; lines starting with
 * {@code #} are comments (the header, drop markers).
 */
final class Journal implements AutoCloseable {
    static final String MAGIC = "#tickstock-capture 1";

    /** Opens the stream for a path; tests inject failures (disk full) through it. */
    @FunctionalInterface
    interface Opener {
        OutputStream open(Path path) throws IOException;
    }

    private static final class Counting extends FilterOutputStream {
        long bytes;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytes += len;
        }
    }

    final String connectionId;
    final LocalDate day;
    final Path path;
    private final Counting counter;
    private final GZIPOutputStream gzip;
    private final OutputStream out;
    private final byte[] header = new byte[48];
    private long pending; // frames written since the last successful flush

    Journal(String connectionId, LocalDate day, Path path, Opener opener) throws IOException {
        this.connectionId = connectionId;
        this.day = day;
        this.path = path;
        OutputStream raw = opener.open(path);
        try {
            this.counter = new Counting(raw);
            // sync flush: readable up to the last flush. Fastest level: deflate at the default level costs
            // about 1-2 us of CPU per event, several times what the feed itself spends (docs/benchmarks.md).
            this.gzip = new GZIPOutputStream(counter, 64 * 1024, true) {
                {
                    def.setLevel(java.util.zip.Deflater.BEST_SPEED);
                }
            };
            this.out = new BufferedOutputStream(gzip, 64 * 1024);
            comment(MAGIC + " " + connectionId + " " + day + " " + CaptureFiles.MARKET_ZONE.getId());
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    void write(long receivedAt, byte[] frame) throws IOException {
        int n = 0;
        n = decimal(receivedAt, n);
        header[n++] = ' ';
        n = decimal(frame.length, n);
        header[n++] = ' ';
        out.write(header, 0, n);
        out.write(frame);
        out.write('\n');
        pending++;
    }

    void comment(String text) throws IOException {
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private int decimal(long v, int at) {
        String s = Long.toString(v); // small and rare enough next to gzip
        for (int i = 0; i < s.length(); i++) {
            header[at++] = (byte) s.charAt(i);
        }
        return at;
    }

    /** Flushes to the file; returns how many frames reached it since the previous flush. */
    int flush() throws IOException {
        out.flush();
        return takePending();
    }

    /** Frames written since the last flush, forgotten: lost when the file has failed. */
    int takePending() {
        int n = (int) pending;
        pending = 0;
        return n;
    }

    /** Compressed bytes written so far (up to the last flush of the compressor). */
    long compressedBytes() {
        return counter.bytes;
    }

    /** Closes the file; returns how many frames reached it since the last flush. */
    int finish() throws IOException {
        out.close();
        return takePending();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
