package io.tickstock.benchmarks.sidebyside;

import java.time.Duration;

/** A reader under test, as a process of its own so its CPU can be read from {@code /proc}. */
interface Reader extends AutoCloseable {
    /** The process whose CPU is measured. */
    long pid();

    /** Blocks until the reader has every event streamed so far ({@code eventsSoFar} since it started). */
    void awaitPassEnd(long eventsSoFar, Duration timeout) throws Exception;

    @Override
    void close();
}
