package io.tickstock.redis;

import java.util.List;
import java.util.Locale;

/** How the publisher sends a batch to Redis ({@code REDIS_PUBLISH_MODE}). */
public enum PublishMode {
    /**
     * One {@code EVALSHA} of a small server-side script per batch, which publishes every message of it;
     * falls back to {@link #COMMANDS} for the life of the connection when Redis refuses scripting.
     */
    SCRIPT,
    /** One pipelined {@code PUBLISH} per tick. */
    COMMANDS;

    /** The configuration key. */
    public static final String KEY = "REDIS_PUBLISH_MODE";

    /** The values the key accepts, as written in configuration. */
    static List<String> names() {
        return List.of("script", "commands");
    }

    /** The mode named {@code name} (one of {@link #names()}). */
    static PublishMode of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The name as written in configuration. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
