package io.tickstock.feed.massive;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Secret;
import io.tickstock.core.config.Settings;
import io.tickstock.core.event.EventType;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Settings of the Massive feed client, read from {@link Settings} by {@link #from(Settings)}; every
 * key is listed in {@code docs/feed.md}.
 *
 * @param apiKey              sent in the auth message only; empty means demo mode (the caller decides)
 * @param url                 {@code wss://socket.massive.com/stocks} by default; {@code ws://} for the emulator
 * @param channels            event channels subscribed per ticker
 * @param maxRetries          consecutive failed attempts before giving up; negative: unlimited
 * @param reconnectDelay      first backoff delay
 * @param reconnectMaxDelay   backoff cap
 * @param stablePeriod        a session that lived this long resets the backoff
 * @param evictionBackoff     wait after a {@code max_connections} eviction, doubled per repeat eviction
 * @param evictionMaxBackoff  cap of that wait
 * @param pingInterval        WebSocket ping period
 * @param silenceTimeout      a connection with no inbound byte for this long is recycled
 * @param connectTimeout      TCP connect plus WebSocket upgrade plus authentication
 * @param maxFrameBytes       largest inbound message accepted (a bigger one closes the connection with 1009)
 * @param compression         offer permessage-deflate
 * @param subscribeBatchItems most params in one subscribe/unsubscribe message
 * @param subscribeBatchBytes most bytes in one subscribe/unsubscribe message
 * @param ioThreads           threads of the event-loop group shared by all connections
 */
public record MassiveConfig(Optional<Secret> apiKey, URI url, List<EventType> channels, int maxRetries,
                            Duration reconnectDelay, Duration reconnectMaxDelay, Duration stablePeriod,
                            Duration evictionBackoff, Duration evictionMaxBackoff, Duration pingInterval,
                            Duration silenceTimeout, Duration connectTimeout, int maxFrameBytes,
                            boolean compression, int subscribeBatchItems, int subscribeBatchBytes,
                            int ioThreads) {

    /**
     * {@code MASSIVE_API_KEY}: The key sent in the auth message. Unset: the admin server runs in **demo
     * mode** (emulator, synthetic data). Default: — (secret).
     */
    public static final String API_KEY = "MASSIVE_API_KEY";
    /**
     * {@code MASSIVE_WEBSOCKET_URL}: Feed URL: real-time, 15-min delayed, or {@code
     * ws://127.0.0.1:<port>/stocks} for the emulator. Default: {@code wss://socket.massive.com/stocks}.
     */
    public static final String URL = "MASSIVE_WEBSOCKET_URL";
    /**
     * {@code MASSIVE_SUBSCRIPTION_CHANNELS}: Channels per ticker, any of {@code T} (trades), {@code Q}
     * (quotes), {@code A} (second aggregates), {@code AM} (minute aggregates), {@code LULD}, {@code FMV}
     * (business plans). Default: {@code A}.
     */
    public static final String CHANNELS = "MASSIVE_SUBSCRIPTION_CHANNELS";
    /**
     * {@code MASSIVE_WEBSOCKET_MAX_RETRIES}: Consecutive failed attempts before giving up ({@code 0} = no
     * retry; {@code unlimited} or {@code -1}). Default: {@code unlimited}.
     */
    public static final String MAX_RETRIES = "MASSIVE_WEBSOCKET_MAX_RETRIES";
    /**
     * {@code MASSIVE_WEBSOCKET_RECONNECT_DELAY}: First backoff delay (exponential, with jitter). Default:
     * {@code 1s}.
     */
    public static final String RECONNECT_DELAY = "MASSIVE_WEBSOCKET_RECONNECT_DELAY";
    /**
     * {@code MASSIVE_WEBSOCKET_RECONNECT_MAX_DELAY}: Backoff cap (not shorter than the delay). Default:
     * {@code 60s}.
     */
    public static final String RECONNECT_MAX_DELAY = "MASSIVE_WEBSOCKET_RECONNECT_MAX_DELAY";
    /**
     * {@code MASSIVE_WEBSOCKET_STABLE_PERIOD}: A session authenticated this long resets the backoff. Default:
     * {@code 30s}.
     */
    public static final String STABLE_PERIOD = "MASSIVE_WEBSOCKET_STABLE_PERIOD";
    /**
     * {@code MASSIVE_WEBSOCKET_EVICTION_BACKOFF}: Wait after a {@code max_connections} eviction, doubled per
     * repeat. Default: {@code 60s}.
     */
    public static final String EVICTION_BACKOFF = "MASSIVE_WEBSOCKET_EVICTION_BACKOFF";
    /** {@code MASSIVE_WEBSOCKET_EVICTION_MAX_BACKOFF}: Cap of that wait. Default: {@code 15m}. */
    public static final String EVICTION_MAX_BACKOFF = "MASSIVE_WEBSOCKET_EVICTION_MAX_BACKOFF";
    /** {@code MASSIVE_WEBSOCKET_PING_INTERVAL}: WebSocket ping period. Default: {@code 20s}. */
    public static final String PING_INTERVAL = "MASSIVE_WEBSOCKET_PING_INTERVAL";
    /**
     * {@code MASSIVE_WEBSOCKET_SILENCE_TIMEOUT}: Recycle a connection with no inbound byte for this long
     * (must exceed the ping interval). Default: {@code 45s}.
     */
    public static final String SILENCE_TIMEOUT = "MASSIVE_WEBSOCKET_SILENCE_TIMEOUT";
    /**
     * {@code MASSIVE_WEBSOCKET_CONNECT_TIMEOUT}: TCP connect + TLS + WebSocket upgrade + authentication.
     * Default: {@code 10s}.
     */
    public static final String CONNECT_TIMEOUT = "MASSIVE_WEBSOCKET_CONNECT_TIMEOUT";
    /**
     * {@code MASSIVE_WEBSOCKET_MAX_FRAME_BYTES}: Largest inbound message, 64 KiB – 64 MiB (a bigger one
     * closes the connection with 1009). Default: {@code 1048576}.
     */
    public static final String MAX_FRAME_BYTES = "MASSIVE_WEBSOCKET_MAX_FRAME_BYTES";
    /** {@code MASSIVE_WEBSOCKET_COMPRESSION}: Offer permessage-deflate. Default: {@code true}. */
    public static final String COMPRESSION = "MASSIVE_WEBSOCKET_COMPRESSION";
    /**
     * {@code MASSIVE_SUBSCRIBE_BATCH_ITEMS}: Most params per subscribe/unsubscribe message (1–100000).
     * Default: {@code 1000}.
     */
    public static final String SUBSCRIBE_BATCH_ITEMS = "MASSIVE_SUBSCRIBE_BATCH_ITEMS";
    /**
     * {@code MASSIVE_SUBSCRIBE_BATCH_BYTES}: Most bytes per subscribe/unsubscribe message (1 KiB – 1 MiB).
     * Default: {@code 16384}.
     */
    public static final String SUBSCRIBE_BATCH_BYTES = "MASSIVE_SUBSCRIBE_BATCH_BYTES";
    /**
     * {@code MASSIVE_WEBSOCKET_IO_THREADS}: Threads of the one Netty event-loop group all connections share
     * (1–64). Default: one per core, at most 3 (one per connection).
     */
    public static final String IO_THREADS = "MASSIVE_WEBSOCKET_IO_THREADS";

    /** The real Massive stocks feed, used unless {@link #URL} says otherwise. */
    public static final String DEFAULT_URL = "wss://socket.massive.com/stocks";

    /** Copies {@code channels} into an immutable list. */
    public MassiveConfig {
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("at least one channel");
        }
        if (reconnectMaxDelay.compareTo(reconnectDelay) < 0) {
            reconnectMaxDelay = reconnectDelay;
        }
        if (evictionMaxBackoff.compareTo(evictionBackoff) < 0) {
            evictionMaxBackoff = evictionBackoff;
        }
    }

    /** Defaults for everything, pointing at {@code url} with {@code apiKey}; for tests and embedding. */
    public static MassiveConfig defaults(String url, String apiKey) {
        return from(Settings.of(java.util.Map.of(URL, url, API_KEY, apiKey)));
    }

    /** A copy with other channels. */
    public MassiveConfig withChannels(List<EventType> newChannels) {
        return new MassiveConfig(apiKey, url, newChannels, maxRetries, reconnectDelay, reconnectMaxDelay,
                stablePeriod, evictionBackoff, evictionMaxBackoff, pingInterval, silenceTimeout, connectTimeout,
                maxFrameBytes, compression, subscribeBatchItems, subscribeBatchBytes, ioThreads);
    }

    /**
     * One per core, at most three (a connection never uses more than one). Measured on 2 cores: two
     * threads ingest about a quarter more than one, feed a redis-server on the same cores as fast, and ten
     * open dashboards still cost under a tenth of ingest; three (on 2 cores) ingest up to a fifth more without
     * Redis but publish about a tenth less beside a redis-server, and cost the dashboards more.
     */
    static int defaultIoThreads() {
        return Math.max(1, Math.min(3, Runtime.getRuntime().availableProcessors()));
    }

    /** Reads and validates every key; fails on the first bad one with a message naming it. */
    public static MassiveConfig from(Settings s) {
        String rawUrl = s.get(URL, DEFAULT_URL);
        URI url;
        try {
            url = new URI(rawUrl);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(URL, rawUrl, "a ws:// or wss:// URL such as " + DEFAULT_URL);
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss") || url.getHost() == null) {
            throw new ConfigException(URL, rawUrl, "a ws:// or wss:// URL such as " + DEFAULT_URL);
        }
        List<String> rawChannels = s.getList(CHANNELS);
        List<EventType> channels = new ArrayList<>();
        for (String c : rawChannels.isEmpty() ? List.of("A") : rawChannels) {
            EventType t = EventType.fromCode(c.toUpperCase(Locale.ROOT));
            if (t == null) {
                throw new ConfigException(CHANNELS, s.get(CHANNELS, ""),
                        "a comma-separated list of T, Q, A, AM, LULD, FMV (unknown: " + c + ")");
            }
            if (!channels.contains(t)) {
                channels.add(t);
            }
        }
        int maxRetries = s.get(MAX_RETRIES).map(v -> v.equalsIgnoreCase("unlimited") ? "-1" : v)
                .map(v -> {
                    try {
                        int n = Integer.parseInt(v);
                        if (n < -1) {
                            throw new NumberFormatException();
                        }
                        return n;
                    } catch (NumberFormatException e) {
                        throw new ConfigException(MAX_RETRIES, v, "a number of attempts (0 or more), or unlimited");
                    }
                }).orElse(-1);
        Duration delay = s.getPositiveDuration(RECONNECT_DELAY, Duration.ofSeconds(1));
        Duration maxDelay = s.getPositiveDuration(RECONNECT_MAX_DELAY, Duration.ofSeconds(60));
        if (maxDelay.compareTo(delay) < 0) {
            throw new ConfigException(RECONNECT_MAX_DELAY, s.get(RECONNECT_MAX_DELAY, ""),
                    "a duration not shorter than " + RECONNECT_DELAY);
        }
        Duration evict = s.getPositiveDuration(EVICTION_BACKOFF, Duration.ofSeconds(60));
        Duration evictMax = s.getPositiveDuration(EVICTION_MAX_BACKOFF, Duration.ofMinutes(15));
        Duration ping = s.getPositiveDuration(PING_INTERVAL, Duration.ofSeconds(20));
        Duration silence = s.getPositiveDuration(SILENCE_TIMEOUT, Duration.ofSeconds(45));
        if (silence.compareTo(ping) <= 0) {
            throw new ConfigException(SILENCE_TIMEOUT, s.get(SILENCE_TIMEOUT, ""),
                    "a duration longer than " + PING_INTERVAL + " (" + ping.toSeconds() + "s)");
        }
        return new MassiveConfig(
                s.getSecret(API_KEY), url, channels, maxRetries, delay, maxDelay,
                s.getPositiveDuration(STABLE_PERIOD, Duration.ofSeconds(30)),
                evict, evictMax, ping, silence,
                s.getPositiveDuration(CONNECT_TIMEOUT, Duration.ofSeconds(10)),
                s.getInt(MAX_FRAME_BYTES, 1 << 20, 64 * 1024, 64 << 20),
                s.getBoolean(COMPRESSION, true),
                s.getInt(SUBSCRIBE_BATCH_ITEMS, 1_000, 1, 100_000),
                s.getInt(SUBSCRIBE_BATCH_BYTES, 16 * 1024, 1_024, 1 << 20),
                s.getInt(IO_THREADS, defaultIoThreads(), 1, 64));
    }

    /** Every field, with the URL's credentials redacted (the key is a {@link Secret}, which never prints). */
    @Override
    public String toString() {
        return "MassiveConfig[apiKey=" + apiKey + ", url=" + redactedUrl() + ", channels=" + channels
                + ", maxRetries=" + maxRetries + ", reconnectDelay=" + reconnectDelay + ", reconnectMaxDelay="
                + reconnectMaxDelay + ", stablePeriod=" + stablePeriod + ", evictionBackoff=" + evictionBackoff
                + ", evictionMaxBackoff=" + evictionMaxBackoff + ", pingInterval=" + pingInterval + ", silenceTimeout="
                + silenceTimeout + ", connectTimeout=" + connectTimeout + ", maxFrameBytes=" + maxFrameBytes
                + ", compression=" + compression + ", subscribeBatchItems=" + subscribeBatchItems
                + ", subscribeBatchBytes=" + subscribeBatchBytes + ", ioThreads=" + ioThreads + "]";
    }

    /** The URL with any user-info password replaced: the only form of it that may be logged or shown. */
    public String redactedUrl() {
        return io.tickstock.core.internal.config.Secrets.redactUrl(url.toString());
    }

    /**
     * Whether the API key would travel unencrypted to another machine: {@code ws://} to a host that is
     * not a loopback name or address (no name is resolved to decide).
     */
    public boolean keyInClearOverNetwork() {
        if (tls()) {
            return false;
        }
        String h = url.getHost().toLowerCase(Locale.ROOT);
        return !(h.equals("localhost") || h.endsWith(".localhost") || h.startsWith("127.") || h.equals("[::1]")
                || h.equals("::1"));
    }

    /** Whether the URL needs TLS. */
    public boolean tls() {
        return "wss".equalsIgnoreCase(url.getScheme());
    }

    /** The port to connect to, defaulting by scheme. */
    public int port() {
        return url.getPort() > 0 ? url.getPort() : tls() ? 443 : 80;
    }
}
