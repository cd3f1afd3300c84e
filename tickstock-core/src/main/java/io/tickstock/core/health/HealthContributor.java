package io.tickstock.core.health;

import java.util.Map;

/**
 * A component whose figures (queue depth, drops, published …) join the health snapshot under
 * {@link #healthName()}. Values must be JSON-friendly: numbers, strings, booleans, null, lists, maps.
 */
public interface HealthContributor {
    /** The key of this component in the health snapshot's {@code components} (e.g. {@code redis_publisher}). */
    String healthName();

    /** This component's figures now; called on the reader's thread, so cheap and non-blocking. */
    Map<String, Object> health();
}
