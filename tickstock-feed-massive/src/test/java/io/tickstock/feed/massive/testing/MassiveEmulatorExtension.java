package io.tickstock.feed.massive.testing;

import io.tickstock.emulator.MassiveEmulator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.UnaryOperator;

/**
 * Starts a {@link MassiveEmulator} on a free loopback port before each test and stops it after.
 * Shipped in this module's test-jar for other modules' tests:
 *
 * <pre>{@code
 * @RegisterExtension
 * final MassiveEmulatorExtension massive = new MassiveEmulatorExtension(b -> b.apiKeys("k").eventsPerSecond(500));
 * ... massive.emulator().url() ...
 * }</pre>
 */
public final class MassiveEmulatorExtension implements BeforeEachCallback, AfterEachCallback {
    private final UnaryOperator<MassiveEmulator.Builder> configure;
    private MassiveEmulator emulator;

    public MassiveEmulatorExtension() {
        this(b -> b);
    }

    public MassiveEmulatorExtension(UnaryOperator<MassiveEmulator.Builder> configure) {
        this.configure = configure;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        emulator = configure.apply(MassiveEmulator.builder().port(0)).build().start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (emulator != null) {
            emulator.stop();
            emulator = null;
        }
    }

    /** The running emulator of the current test. */
    public MassiveEmulator emulator() {
        if (emulator == null) {
            throw new IllegalStateException("the emulator runs only during a test");
        }
        return emulator;
    }

    /** {@code ws://127.0.0.1:<port>/stocks}. */
    public String url() {
        return emulator().url();
    }
}
