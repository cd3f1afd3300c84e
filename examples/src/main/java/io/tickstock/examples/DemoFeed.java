package io.tickstock.examples;

import io.tickstock.core.config.Settings;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.emulator.MassiveEmulator;
import io.tickstock.redis.TickJson;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The feed settings for an example: unchanged when {@code MASSIVE_API_KEY} is set (the real Massive
 * feed), otherwise a local {@link MassiveEmulator} with synthetic prices is started and the settings
 * point at it. Closing stops the emulator, if one was started.
 */
public final class DemoFeed implements AutoCloseable {
    private final Settings settings;
    private final MassiveEmulator emulator;

    private DemoFeed(Settings settings, MassiveEmulator emulator) {
        this.settings = settings;
        this.emulator = emulator;
    }

    /** Starts the emulator when {@code settings} has no API key, and says so on {@code out}. */
    public static DemoFeed start(Settings settings, PrintStream out) {
        if (settings.get(MassiveConfig.API_KEY).isPresent()) {
            out.println("Using the Massive feed at " + settings.get(MassiveConfig.URL, MassiveConfig.DEFAULT_URL));
            return new DemoFeed(settings, null);
        }
        String key = "example-key";
        MassiveEmulator emulator = MassiveEmulator.builder().port(0).apiKeys(key)
                .eventsPerSecond(settings.getLong("EXAMPLE_EVENTS_PER_SECOND", 200, 1, 1_000_000))
                .build().start();
        out.println("No MASSIVE_API_KEY set: started the Massive emulator on " + emulator.url()
                + " (synthetic prices, not market data)");
        Map<String, String> m = new HashMap<>();
        m.put(MassiveConfig.API_KEY, key);
        m.put(MassiveConfig.URL, emulator.url());
        if (settings.get(MassiveConfig.CHANNELS).isEmpty()) {
            m.put(MassiveConfig.CHANNELS, "T"); // trades: the emulator's busiest channel
        }
        return new DemoFeed(settings.with(m), emulator);
    }

    /** The settings to build the gateway from. */
    public Settings settings() {
        return settings;
    }

    /**
     * What published ticks should say in {@code source}: {@code demo} when the emulator feeds them (so no
     * consumer takes them for market data), null (each tick's own, {@code massive}) with the real feed.
     */
    public String sourceLabel() {
        return emulator == null ? null : TickJson.DEMO_SOURCE;
    }

    /** The emulator, when one was started. */
    public Optional<MassiveEmulator> emulator() {
        return Optional.ofNullable(emulator);
    }

    @Override
    public void close() {
        if (emulator != null) {
            emulator.stop();
        }
    }
}
