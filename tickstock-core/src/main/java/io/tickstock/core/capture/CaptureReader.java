package io.tickstock.core.capture;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads one journal file, frame by frame. A file cut short (the gateway was killed, the disk filled)
 * ends at its last complete frame; anything malformed ends the file too, with {@link #truncated()}
 * set, never an exception in the middle of a replay.
 */
public final class CaptureReader implements AutoCloseable {
    /** Largest frame accepted from a file (a real frame is far smaller). */
    static final int MAX_FRAME = 64 << 20;

    private final InputStream in;
    private final String connectionId;
    private boolean truncated;

    /** Opens a capture file. @throws IOException when it cannot be opened or is not named like a capture file */
    public CaptureReader(Path file) throws IOException {
        this.connectionId = CaptureFiles.parse(file).map(CaptureFiles.Name::connectionId)
                .orElseThrow(() -> new IOException("not a capture file name: " + file.getFileName()));
        this.in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(file), 64 * 1024), 64 * 1024);
    }

    /** The next frame, or null at the end of the file. */
    public CapturedFrame next() throws IOException {
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                if (b == '#') {
                    while ((b = in.read()) != '\n') {
                        if (b < 0) {
                            return null;
                        }
                    }
                    continue;
                }
                long receivedAt = number(b);
                long length = number(in.read());
                if (length > MAX_FRAME) {
                    truncated = true;
                    return null;
                }
                byte[] frame = in.readNBytes((int) length);
                if (frame.length != length || in.read() != '\n') {
                    truncated = true;
                    return null;
                }
                return new CapturedFrame(connectionId, receivedAt, frame);
            }
        } catch (EOFException | ZipException | NumberFormatException e) {
            truncated = true;
            return null;
        }
    }

    /** Reads decimal digits up to a space. */
    private long number(int first) throws IOException {
        long v = 0;
        int b = first;
        int digits = 0;
        while (b >= '0' && b <= '9' && digits < 19) {
            v = v * 10 + (b - '0');
            digits++;
            b = in.read();
        }
        if (b != ' ' || digits == 0) {
            throw new NumberFormatException("bad record header");
        }
        return v;
    }

    /** True when the file ended in the middle of a record or held something that is not a record. */
    public boolean truncated() {
        return truncated;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
