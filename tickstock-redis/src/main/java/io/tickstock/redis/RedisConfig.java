package io.tickstock.redis;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Secret;
import io.tickstock.core.internal.config.Secrets;
import io.tickstock.core.config.Settings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the Redis module reads from configuration. The URL may carry a password: it is held as
 * a {@link Secret} and only ever shown through {@link #redactedUrl()}.
 *
 * @param url                  {@code REDIS_URL}, e.g. {@code redis://:pw@127.0.0.1:6379/0}
 * @param tickChannel          {@code REDIS_TICK_CHANNEL}: the pub/sub channel ticks are published on
 * @param tickStream           {@code REDIS_TICK_STREAM}: also {@code XADD} every tick to this stream, or null
 * @param streamMaxLen         {@code REDIS_TICK_STREAM_MAXLEN}: approximate stream cap ({@code MAXLEN ~})
 * @param queueCapacity        {@code REDIS_PUBLISH_QUEUE_CAPACITY}: ticks waiting for the publisher thread
 * @param batchSize            {@code REDIS_PUBLISH_BATCH_SIZE}: ticks per pipelined flush
 * @param maxBatchesInFlight   {@code REDIS_PUBLISH_MAX_IN_FLIGHT_BATCHES}: flushed batches awaiting replies
 * @param linger               {@code REDIS_PUBLISH_LINGER}: how long a batch that is not full waits for more
 *                             ticks before it is sent (0: send at once)
 * @param commandTimeout       {@code REDIS_COMMAND_TIMEOUT}: longest wait for a reply before a tick counts as dropped
 * @param requestQueueSize     {@code REDIS_REQUEST_QUEUE_SIZE}: bound of Lettuce's own command queue per connection
 * @param connectTimeout       {@code REDIS_CONNECT_TIMEOUT}
 * @param reconnectMaxDelay    {@code REDIS_RECONNECT_MAX_DELAY}: cap of the exponential reconnect backoff
 * @param universeKeyPrefix    {@code REDIS_UNIVERSE_KEY_PREFIX}: universes live at {@code <prefix><universe key>}
 * @param publishMode          {@code REDIS_PUBLISH_MODE}: one script call per batch, or one {@code PUBLISH} per tick
 * @param maxPause             {@code REDIS_PUBLISH_MAX_PAUSE}: while the publish queue is nearly full the feeds stop
 *                             reading (the feed server keeps the burst) for at most this long; then the oldest
 *                             queued ticks are dropped and counted as before (0: never pause the feeds)
 * @param maxLag               {@code REDIS_PUBLISH_MAX_LAG}: the feeds are not paused while what they deliver is
 *                             already this far behind the market (event time against receipt): beyond it, the
 *                             oldest queued ticks are dropped and counted rather than falling further behind
 */
public record RedisConfig(Secret url, String tickChannel, String tickStream, long streamMaxLen, int queueCapacity,
                          int batchSize, int maxBatchesInFlight, Duration linger, Duration commandTimeout,
                          int requestQueueSize,
                          Duration connectTimeout, Duration reconnectMaxDelay, String universeKeyPrefix,
                          PublishMode publishMode, Duration maxPause, Duration maxLag) {
    /** Configuration key of {@link #maxPause()}. */
    public static final String MAX_PAUSE_KEY = "REDIS_PUBLISH_MAX_PAUSE";
    /** Configuration key of {@link #maxLag()}. */
    public static final String MAX_LAG_KEY = "REDIS_PUBLISH_MAX_LAG";

    /**
     * {@code REDIS_URL}: {@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://…} (TLS) or
     * {@code redis-socket://…}; checked at start (a URL without a host or with a port that is not a number is
     * refused naming the key). Unset: no Redis, ticks go through the in-process bus. Default: — (secret).
     */
    public static final String URL_KEY = "REDIS_URL";
    /** The channel ticks are published on unless {@code REDIS_TICK_CHANNEL} says otherwise. */
    public static final String DEFAULT_CHANNEL = "tickstock:market:ticks";
    /**
     * Ticks per batch unless {@code REDIS_PUBLISH_BATCH_SIZE} says otherwise (or the publish queue or a
     * request queue set by hand holds fewer): while Redis is the bottleneck every batch is full, and
     * 2,048 published 6–12 % more per second for 8–15 % less client CPU per tick than 512 on a 2-core
     * machine; a batch that is not full still leaves after {@code REDIS_PUBLISH_LINGER}, so a larger
     * cap adds no latency when Redis keeps up.
     */
    public static final int DEFAULT_BATCH_SIZE = 2_048;
    /** {@code REDIS_REQUEST_QUEUE_SIZE} when unset: this, or what the batches in flight need if more. */
    private static final String REQUEST_QUEUE_KEY = "REDIS_REQUEST_QUEUE_SIZE";
    private static final int MIN_DEFAULT_REQUEST_QUEUE_SIZE = 8_192;
    private static final int MAX_REQUEST_QUEUE_SIZE = 1_048_576;
    /** Prefix of the universe keys read from Redis ({@code <prefix><universe key>}). */
    public static final String DEFAULT_UNIVERSE_PREFIX = "tickstock:universe:";
    /** Redis's replies to a wrong or missing password (AUTH, HELLO … AUTH). */
    private static final java.util.regex.Pattern AUTH_FAILURE = java.util.regex.Pattern.compile(
            "WRONGPASS|NOAUTH|invalid password|invalid username-password|AUTH called without any password");

    /** Checks the values (a blank stream name means none); {@code url} and {@code tickChannel} are required. */
    public RedisConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(tickChannel, "tickChannel");
        Objects.requireNonNull(publishMode, "publishMode");
        Objects.requireNonNull(maxPause, "maxPause");
        Objects.requireNonNull(maxLag, "maxLag");
        if (tickStream != null && tickStream.isBlank()) {
            tickStream = null;
        }
        if (batchSize > queueCapacity) {
            throw new ConfigException("REDIS_PUBLISH_BATCH_SIZE", String.valueOf(batchSize),
                    "at most REDIS_PUBLISH_QUEUE_CAPACITY (" + queueCapacity + ")");
        }
        int perTick = tickStream == null ? 1 : 2;
        long needed = commandsInFlight(batchSize, tickStream, maxBatchesInFlight);
        if (needed > requestQueueSize) {
            throw new ConfigException("REDIS_REQUEST_QUEUE_SIZE", String.valueOf(requestQueueSize),
                    "at least (REDIS_PUBLISH_BATCH_SIZE" + (perTick == 2 ? " x 2 (stream enabled)" : "")
                            + " + " + LastValueHashes.commandsPerBatch()
                            + ") x REDIS_PUBLISH_MAX_IN_FLIGHT_BATCHES = " + needed);
        }
    }

    /**
     * Most commands the publisher has in Lettuce's queue at once, which {@code REDIS_REQUEST_QUEUE_SIZE}
     * must hold: up to two per tick (PUBLISH, and XADD with a stream) and the last-value commands, per
     * batch in flight.
     */
    private static long commandsInFlight(int batchSize, String tickStream, int maxBatchesInFlight) {
        int perTick = tickStream == null ? 1 : 2;
        return ((long) batchSize * perTick + LastValueHashes.commandsPerBatch()) * maxBatchesInFlight;
    }

    /** This request queue size, or what batches of {@code batch} ticks with {@code stream} need if more. */
    private int requestQueueFitting(int batch, String stream) {
        return (int) Math.max(requestQueueSize, Math.min(MAX_REQUEST_QUEUE_SIZE, commandsInFlight(batch, stream, maxBatchesInFlight)));
    }

    /** The Redis configuration when {@code REDIS_URL} is set; empty means "use the in-process bus". */
    public static Optional<RedisConfig> from(Settings s) {
        Optional<Secret> url = s.getSecret(URL_KEY);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String u = url.get().reveal();
        if (!(u.startsWith("redis://") || u.startsWith("rediss://") || u.startsWith("redis-socket://"))) {
            throw new ConfigException(URL_KEY, u, "a URL such as redis://[:password@]host[:port][/db] or rediss://…");
        }
        try {
            if (!u.startsWith("redis-socket://") && new java.net.URI(u).getHost() == null) {
                throw new IllegalArgumentException("no host (or a port that is not a number)");
            }
            io.lettuce.core.RedisURI.create(u); // what the connector will parse: fail now, naming the key
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new ConfigException(URL_KEY, u, "a URL such as redis://[:password@]host[:port][/db] or rediss://… ("
                    + (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("no host")
                    ? e.getMessage() : e.getClass().getSimpleName()) + ")");
        }
        String stream = s.get("REDIS_TICK_STREAM").filter(name -> !name.isBlank()).orElse(null);
        int capacity = s.getInt("REDIS_PUBLISH_QUEUE_CAPACITY", 65_536, 1, 16_777_216);
        int inFlight = s.getInt("REDIS_PUBLISH_MAX_IN_FLIGHT_BATCHES", 4, 1, 64);
        int batchDefault = Math.min(DEFAULT_BATCH_SIZE, capacity);
        int requestQueue;
        int batch;
        if (s.get(REQUEST_QUEUE_KEY).isPresent()) {
            // a request queue set by hand caps the default batch at what it holds (it did before the default grew)
            requestQueue = s.getInt(REQUEST_QUEUE_KEY, MIN_DEFAULT_REQUEST_QUEUE_SIZE, 1, MAX_REQUEST_QUEUE_SIZE);
            int perTick = stream == null ? 1 : 2;
            int held = (requestQueue / inFlight - LastValueHashes.commandsPerBatch()) / perTick;
            batch = s.getInt("REDIS_PUBLISH_BATCH_SIZE", Math.max(1, Math.min(batchDefault, held)), 1, 65_536);
        } else {
            batch = s.getInt("REDIS_PUBLISH_BATCH_SIZE", batchDefault, 1, 65_536);
            requestQueue = s.getInt(REQUEST_QUEUE_KEY, (int) Math.min(MAX_REQUEST_QUEUE_SIZE,
                    Math.max(MIN_DEFAULT_REQUEST_QUEUE_SIZE, commandsInFlight(batch, stream, inFlight))),
                    1, MAX_REQUEST_QUEUE_SIZE);
        }
        return Optional.of(new RedisConfig(url.get(),
                s.get("REDIS_TICK_CHANNEL", DEFAULT_CHANNEL),
                stream,
                s.getLong("REDIS_TICK_STREAM_MAXLEN", 100_000, 1, Long.MAX_VALUE),
                capacity,
                batch,
                inFlight,
                lingerOf(s),
                s.getPositiveDuration("REDIS_COMMAND_TIMEOUT", Duration.ofSeconds(2)),
                requestQueue,
                s.getPositiveDuration("REDIS_CONNECT_TIMEOUT", Duration.ofSeconds(2)),
                s.getPositiveDuration("REDIS_RECONNECT_MAX_DELAY", Duration.ofSeconds(2)),
                s.get("REDIS_UNIVERSE_KEY_PREFIX", DEFAULT_UNIVERSE_PREFIX),
                PublishMode.of(s.getChoice(PublishMode.KEY, PublishMode.SCRIPT.configName(), PublishMode.names())),
                maxPauseOf(s), maxLagOf(s)));
    }

    private static Duration maxLagOf(Settings s) {
        Duration d = s.getPositiveDuration(MAX_LAG_KEY, Duration.ofSeconds(5));
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ConfigException(MAX_LAG_KEY, s.get(MAX_LAG_KEY).orElse(null), "a duration from 1s to 10m");
        }
        return d;
    }

    private static Duration maxPauseOf(Settings s) {
        Duration d = s.getDuration(MAX_PAUSE_KEY, Duration.ofSeconds(1));
        if (d.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new ConfigException(MAX_PAUSE_KEY, s.get(MAX_PAUSE_KEY).orElse(null), "a duration from 0 to 10s");
        }
        return d;
    }

    private static Duration lingerOf(Settings s) {
        Duration d = s.getDuration("REDIS_PUBLISH_LINGER", Duration.ofMillis(1));
        if (d.compareTo(Duration.ofMillis(100)) > 0) {
            throw new ConfigException("REDIS_PUBLISH_LINGER", s.get("REDIS_PUBLISH_LINGER").orElse(null),
                    "a duration from 0 to 100ms");
        }
        return d;
    }

    /** Defaults for everything but the URL (tests, embedding). */
    public static RedisConfig of(String url) {
        return from(Settings.of(java.util.Map.of(URL_KEY, url))).orElseThrow();
    }

    /** A copy publishing ticks on {@code channel}. */
    public RedisConfig withTickChannel(String channel) {
        return new RedisConfig(url, channel, tickStream, streamMaxLen, queueCapacity, batchSize, maxBatchesInFlight, linger,
                commandTimeout, requestQueueSize, connectTimeout, reconnectMaxDelay, universeKeyPrefix, publishMode, maxPause, maxLag);
    }

    /**
     * A copy also appending ticks to {@code stream}, trimmed to about {@code maxLen} entries; the request
     * queue grows to hold the extra commands if it must.
     */
    public RedisConfig withTickStream(String stream, long maxLen) {
        if (stream != null && stream.isBlank()) {
            stream = null; // as the constructor reads it
        }
        return new RedisConfig(url, tickChannel, stream, maxLen, queueCapacity, batchSize, maxBatchesInFlight, linger,
                commandTimeout, requestQueueFitting(batchSize, stream), connectTimeout, reconnectMaxDelay, universeKeyPrefix, publishMode, maxPause, maxLag);
    }

    /**
     * A copy with a publish queue of {@code capacity} ticks sent in batches of {@code batch}; the request
     * queue grows to hold them if it must.
     */
    public RedisConfig withQueue(int capacity, int batch) {
        return new RedisConfig(url, tickChannel, tickStream, streamMaxLen, capacity, batch, maxBatchesInFlight, linger,
                commandTimeout, requestQueueFitting(batch, tickStream), connectTimeout, reconnectMaxDelay, universeKeyPrefix, publishMode, maxPause, maxLag);
    }

    /** A copy sending batches in {@code mode}. */
    public RedisConfig withPublishMode(PublishMode mode) {
        return new RedisConfig(url, tickChannel, tickStream, streamMaxLen, queueCapacity, batchSize, maxBatchesInFlight, linger,
                commandTimeout, requestQueueSize, connectTimeout, reconnectMaxDelay, universeKeyPrefix, mode, maxPause, maxLag);
    }

    /** A copy pausing the feeds for at most {@code maxPause} while the publish queue is nearly full (0: never). */
    public RedisConfig withMaxPause(Duration maxPause) {
        return new RedisConfig(url, tickChannel, tickStream, streamMaxLen, queueCapacity, batchSize, maxBatchesInFlight, linger,
                commandTimeout, requestQueueSize, connectTimeout, reconnectMaxDelay, universeKeyPrefix, publishMode, maxPause, maxLag);
    }

    /** The stream ticks are appended to, if one is configured. */
    public Optional<String> tickStreamName() {
        return Optional.ofNullable(tickStream);
    }

    /** The URL with any password replaced: the only form of it that may be logged or shown. */
    public String redactedUrl() {
        return Secrets.redactUrl(url.reveal());
    }

    @Override
    public String toString() {
        return "RedisConfig[url=" + redactedUrl() + ", channel=" + tickChannel + ", stream=" + tickStream
                + ", streamMaxLen=" + streamMaxLen + ", queueCapacity=" + queueCapacity + ", batchSize=" + batchSize
                + ", maxBatchesInFlight=" + maxBatchesInFlight + ", linger=" + linger + ", commandTimeout=" + commandTimeout
                + ", requestQueueSize=" + requestQueueSize + ", publishMode=" + publishMode.configName()
                + ", maxPause=" + maxPause + ", maxLag=" + maxLag + "]";
    }

    /**
     * An error message safe to log or show: the URL's password, if any, is never in it. A refused
     * password says so ("Redis refused the credentials in REDIS_URL …") instead of Lettuce's generic
     * "Unable to connect".
     */
    public String safeMessage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && AUTH_FAILURE.matcher(m).find()) {
                return safeText("Redis refused the credentials in " + URL_KEY + " (" + m.lines().findFirst().orElse("")
                        + "): check the password (and user) in the URL");
            }
        }
        Throwable shown = t;
        while (shown.getCause() != null && shown.getCause() != shown && shown.getMessage() == null) {
            shown = shown.getCause();
        }
        Throwable root = shown;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
            root = root.getCause();
        }
        // Lettuce's "Unable to connect" says nothing of why; its innermost cause does
        return safeText(describe(shown) + (root == shown ? "" : " (" + describe(root) + ")"));
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** The text with the URL's password, if any, replaced. */
    public String safeText(String text) {
        String msg = text;
        String raw = url().reveal();
        String redacted = redactedUrl();
        if (msg != null && !raw.equals(redacted)) {
            msg = msg.replace(raw, redacted);
            String pw = passwordOf(raw);
            if (!pw.isEmpty()) {
                msg = msg.replace(pw, io.tickstock.core.internal.config.Secrets.REDACTED);
                String decoded = java.net.URLDecoder.decode(pw, java.nio.charset.StandardCharsets.UTF_8);
                msg = msg.replace(decoded, io.tickstock.core.internal.config.Secrets.REDACTED);
            }
        }
        return msg;
    }

    private static String passwordOf(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return "";
        }
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        return colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
    }
}
