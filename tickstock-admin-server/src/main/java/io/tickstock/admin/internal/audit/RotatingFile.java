package io.tickstock.admin.internal.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only text file with a size cap: a line that would take the live file past
 * {@code maxBytes} first moves it to {@code <name>.1} (older ones to {@code .2} … up to
 * {@code .<keep>}, the oldest deleted), so the files never hold more than
 * {@code (keep + 1) × maxBytes}. Lines are flushed as they are written. Not thread-safe: the
 * owner serialises calls.
 */
final class RotatingFile implements AutoCloseable {
    private final Path file;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long size;
    private long rotations;

    RotatingFile(Path file, long maxBytes, int keep) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        open();
    }

    /** Appends {@code line} and a newline. */
    void append(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + bytes.length > maxBytes) {
            // the size we counted may be stale if someone truncated the file (logrotate copytruncate)
            size = Files.exists(file) ? Files.size(file) : 0;
            if (size > 0 && size + bytes.length > maxBytes) {
                rotate();
            }
        }
        out.write(bytes);
        out.flush();
        size += bytes.length;
    }

    long rotations() {
        return rotations;
    }

    private void rotate() throws IOException {
        out.close();
        try {
            Files.deleteIfExists(rotated(keep));
            for (int i = keep - 1; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
            rotations++;
        } finally {
            // a failed move (e.g. permissions) leaves the live file in place: keep appending to it
            open();
        }
    }

    Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        size = Files.size(file);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
