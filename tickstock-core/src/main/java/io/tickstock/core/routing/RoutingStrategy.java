package io.tickstock.core.routing;

import io.tickstock.core.config.ConfigException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where tickers subscribed at run time go. */
public enum RoutingStrategy {
    /** To the named connection, else the least loaded connected one. */
    MANUAL,
    /** Cycle through the enabled connections. */
    ROUND_ROBIN,
    /** Stable: the same ticker always lands on the same slot while the set of slots is unchanged. */
    HASH,
    /** To the connection with the lowest measured message rate. */
    LOAD_BALANCED;

    /** The configuration spelling, e.g. {@code round_robin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The strategy named {@code value}; an unknown name fails with a {@link io.tickstock.core.config.ConfigException} naming {@code key}. */
    public static RoutingStrategy parse(String key, String value) {
        for (RoutingStrategy s : values()) {
            if (s.wireName().equalsIgnoreCase(value.strip())) {
                return s;
            }
        }
        throw new ConfigException(key, value, "one of " + Arrays.stream(values())
                .map(RoutingStrategy::wireName).collect(Collectors.joining(", ")));
    }

    /** A new router for this strategy (routers may keep state, such as a round-robin cursor). */
    public TickerRouter newRouter() {
        return switch (this) {
            case MANUAL -> new LeastLoadedRouter();
            case ROUND_ROBIN -> new RoundRobinRouter();
            case HASH -> new HashRouter();
            case LOAD_BALANCED -> new LoadBalancedRouter();
        };
    }
}
