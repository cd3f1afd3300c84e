package io.tickstock.redis;

import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.Tick;
import io.tickstock.core.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a gateway process needs from Redis, started from configuration in one call and closed in
 * the right order: the tick publisher (a {@code TickSink} and {@code HealthContributor} for the manager),
 * the universe source (first in the universe chain) and, on demand, tick subscribers.
 *
 * <pre>{@code
 * Optional<RedisIntegration> redis = RedisIntegration.start(settings); // empty without REDIS_URL
 * UniverseResolver universes = redis.map(r -> UniverseResolver.fromSettings(settings, r.universes()))
 *         .orElseGet(() -> UniverseResolver.fromSettings(settings));
 * redis.ifPresent(r -> { builder.sink(r.publisher()); });          // and manager.addHealthContributor(r.publisher())
 * }</pre>
 */
public final class RedisIntegration implements AutoCloseable {
    private final RedisConfig config;
    private final RedisTickPublisher publisher;
    private final RedisConnector shared;
    private final RedisUniverseSource universes;
    private final List<RedisTickSubscriber> subscribers = new ArrayList<>();

    private RedisIntegration(RedisConfig config, String sourceLabel) {
        this.config = config;
        this.publisher = RedisTickPublisher.start(config, sourceLabel); // its own single-threaded client: the hot path
        this.shared = RedisConnector.create(config);
        this.universes = RedisUniverseSource.create(shared);
    }

    /** Starts publishing when {@code REDIS_URL} is set; empty otherwise. Never blocks on Redis. */
    public static Optional<RedisIntegration> start(Settings settings) {
        return start(settings, null);
    }

    /**
     * Like {@link #start(Settings)}, every published message labelled {@code "source":sourceLabel} (e.g.
     * {@link TickJson#DEMO_SOURCE} when the feed is synthetic); null keeps each tick's own source.
     */
    public static Optional<RedisIntegration> start(Settings settings, String sourceLabel) {
        return RedisConfig.from(settings).map(c -> new RedisIntegration(c, sourceLabel));
    }

    /** The Redis configuration in use. */
    public RedisConfig config() {
        return config;
    }

    /** The sink to give the manager; also its {@code HealthContributor} ({@code redis_publisher}). */
    public RedisTickPublisher publisher() {
        return publisher;
    }

    /** The Redis universe source, to put first in the chain. */
    public RedisUniverseSource universes() {
        return universes;
    }

    /** Subscribes {@code listener} to the tick channel; closed with this integration. */
    public synchronized RedisTickSubscriber subscribe(TickSink<Tick> listener) {
        RedisTickSubscriber s = RedisTickSubscriber.start(shared, listener);
        subscribers.add(s);
        return s;
    }

    /** Closes subscribers, the publisher (after it had its chance to flush), universes, then the client. */
    @Override
    public synchronized void close() {
        subscribers.forEach(RedisTickSubscriber::close);
        subscribers.clear();
        publisher.close();
        universes.close();
        shared.close();
    }
}
