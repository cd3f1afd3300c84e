package io.tickstock.redis;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Settings;
import io.tickstock.core.event.EventType;
import io.tickstock.core.lastvalue.LastValueStore;

import java.nio.charset.StandardCharsets;

/**
 * Where the publisher keeps the last value of every ticker in Redis: one hash per event type,
 * {@code <prefix>T} for trades and {@code <prefix>Q} for quotes, field = ticker, value = the exact JSON
 * message last published on the tick channel for that ticker and type.
 *
 * @param enabled    {@code REDIS_LAST_VALUE_ENABLED} (default true)
 * @param keyPrefix  {@code REDIS_LAST_VALUE_KEY_PREFIX} (default {@code tickstock:last:})
 * @param maxSymbols {@code TICKSTOCK_LAST_VALUE_MAX_SYMBOLS}: tickers per hash; the one written longest ago
 *                   is deleted ({@code HDEL}) to make room
 */
public record LastValueConfig(boolean enabled, String keyPrefix, int maxSymbols) {
    /**
     * {@code REDIS_LAST_VALUE_ENABLED}: Keep the last trade and quote of every ticker in the hashes {@code
     * <prefix>T} and {@code <prefix>Q} (see capture-replay.md). Default: {@code true}.
     */
    public static final String ENABLED_KEY = "REDIS_LAST_VALUE_ENABLED";
    /** {@code REDIS_LAST_VALUE_KEY_PREFIX}: Prefix of those two hashes. Default: {@code tickstock:last:}. */
    public static final String PREFIX_KEY = "REDIS_LAST_VALUE_KEY_PREFIX";
    /** The default of {@link #PREFIX_KEY}. */
    public static final String DEFAULT_PREFIX = "tickstock:last:";

    /** @throws ConfigException for a blank or over-long prefix or fewer than one symbol, naming the key */
    public LastValueConfig {
        if (keyPrefix == null || keyPrefix.isBlank() || keyPrefix.length() > 200) {
            throw new ConfigException(PREFIX_KEY, keyPrefix, "a non-blank Redis key prefix of at most 200 characters");
        }
        if (maxSymbols < 1) {
            throw new ConfigException(LastValueStore.MAX_SYMBOLS_KEY, String.valueOf(maxSymbols), "at least 1");
        }
    }

    /** The last-value settings; a bad value fails with a {@link io.tickstock.core.config.ConfigException} naming the key. */
    public static LastValueConfig from(Settings s) {
        return new LastValueConfig(s.getBoolean(ENABLED_KEY, true), s.get(PREFIX_KEY, DEFAULT_PREFIX),
                s.getInt(LastValueStore.MAX_SYMBOLS_KEY, LastValueStore.DEFAULT_MAX_SYMBOLS, 1, 10_000_000));
    }

    /** The defaults: enabled, {@code tickstock:last:}, the store's default cap. */
    public static LastValueConfig defaults() {
        return new LastValueConfig(true, DEFAULT_PREFIX, LastValueStore.DEFAULT_MAX_SYMBOLS);
    }

    /** The hash holding the last values of this event type ({@code T} or {@code Q}). */
    public String key(EventType type) {
        return keyPrefix + type.code();
    }

    byte[] keyBytes(EventType type) {
        return key(type).getBytes(StandardCharsets.UTF_8);
    }
}
