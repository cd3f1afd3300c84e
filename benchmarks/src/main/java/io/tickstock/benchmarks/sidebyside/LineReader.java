package io.tickstock.benchmarks.sidebyside;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A reader process that prints {@code done} on stdout at the end of each pass (the raw reader, the
 * official JS client). Its stderr goes to a log file, named in the error when it fails.
 */
final class LineReader implements Reader {
    private final Process process;
    private final BlockingQueue<String> done = new ArrayBlockingQueue<>(16);
    private final Path log;

    LineReader(List<String> command, Path workingDir, Path log) throws IOException {
        this.log = log;
        process = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectError(log.toFile()).start();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("done")) {
                        done.offer(line);
                    }
                }
            } catch (IOException e) {
                // the process ended: awaitPassEnd reports it
            }
        }, "reader-stdout");
        pump.setDaemon(true);
        pump.start();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void awaitPassEnd(long eventsSoFar, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (done.poll(50, TimeUnit.MILLISECONDS) == null) {
            if (!process.isAlive()) {
                throw new IllegalStateException("reader exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reader did not finish the pass in " + timeout + "; see " + log);
            }
        }
    }

    @Override
    public void close() {
        stop(process, 5);
    }

    /** Asks {@code process} to end (SIGTERM), and kills it if it has not within {@code graceSeconds}. */
    static void stop(Process process, int graceSeconds) {
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
