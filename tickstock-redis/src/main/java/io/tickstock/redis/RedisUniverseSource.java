package io.tickstock.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tickstock.core.universe.UniverseSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Universes stored in Redis at {@code tickstock:universe:<key>}, as a set of tickers or as a string
 * holding a JSON array of tickers (a list is accepted too). Set members are returned sorted, so the
 * same set always yields the same order. A missing key, an unreadable value or an unreachable Redis
 * yields empty, so the universe chain asks its next source; the last two are logged with the reason.
 */
public final class RedisUniverseSource implements UniverseSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisUniverseSource.class);
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final RedisConnector connector;
    private final boolean ownsConnector;
    private final String prefix;
    private StatefulRedisConnection<String, String> connection; // guarded by this
    private static final long UNREACHABLE_BACKOFF_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private volatile long unreachableUntil = System.nanoTime();

    private RedisUniverseSource(RedisConnector connector, boolean owns) {
        this.connector = connector;
        this.ownsConnector = owns;
        this.prefix = connector.config().universeKeyPrefix();
    }

    /** A source with its own Lettuce client; it connects on first use. */
    public static RedisUniverseSource create(RedisConfig config) {
        return new RedisUniverseSource(RedisConnector.create(config), true);
    }

    /** A source on a shared connector, which the caller closes after the source. */
    public static RedisUniverseSource create(RedisConnector connector) {
        return new RedisUniverseSource(connector, false);
    }

    @Override
    public String name() {
        return "redis:" + connector.config().redactedUrl() + "/" + prefix + "*";
    }

    @Override
    public Optional<List<String>> load(String key) {
        String redisKey = prefix + key;
        if (System.nanoTime() - unreachableUntil < 0) {
            // Redis could not be reached a moment ago: do not make every lookup of a start-up wait
            // another connect timeout (the dashboard would come up seconds later)
            LOG.debug("Universe {}: Redis was unreachable moments ago; trying the next source", redisKey);
            return Optional.empty();
        }
        try {
            RedisCommands<String, String> redis = connection().sync();
            String type = redis.type(redisKey);
            switch (type) {
                case "none":
                    return Optional.empty();
                case "set":
                    List<String> members = new ArrayList<>(redis.smembers(redisKey));
                    members.sort(null);
                    return Optional.of(List.copyOf(members));
                case "list":
                    return Optional.of(List.copyOf(redis.lrange(redisKey, 0, -1)));
                case "string":
                    return parseJsonArray(redisKey, redis.get(redisKey));
                default:
                    LOG.warn("Universe {} in Redis is a {}, not a set or a JSON array string; skipped", redisKey, type);
                    return Optional.empty();
            }
        } catch (RuntimeException e) {
            LOG.warn("Universe {} could not be read from Redis ({}); trying the next source", redisKey,
                    connector.safeMessage(e));
            return Optional.empty();
        }
    }

    private static Optional<List<String>> parseJsonArray(String redisKey, String value) {
        if (value == null) {
            return Optional.empty();
        }
        List<String> tickers = new ArrayList<>();
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                LOG.warn("Universe {} in Redis is a string but not a JSON array; skipped", redisKey);
                return Optional.empty();
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.VALUE_STRING) {
                    tickers.add(p.getText());
                } else {
                    LOG.warn("Universe {} in Redis: non-string element {} ignored", redisKey, t);
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            LOG.warn("Universe {} in Redis is not valid JSON ({}); skipped", redisKey, e.getMessage().lines().findFirst().orElse(""));
            return Optional.empty();
        }
        return Optional.of(List.copyOf(tickers));
    }

    private synchronized StatefulRedisConnection<String, String> connection() {
        if (connection == null) {
            try {
                connection = connector.connectText();
            } catch (RuntimeException e) {
                unreachableUntil = System.nanoTime() + UNREACHABLE_BACKOFF_NANOS;
                throw e;
            }
        }
        return connection;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (ownsConnector) {
            connector.close();
        }
    }
}
