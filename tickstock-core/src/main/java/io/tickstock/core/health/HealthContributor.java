package io.tickstock.core.health;

import java.util.Map;

/**
 * A component whose figures (queue depth, drops, published …) join the health snapshot under
 * {@link #healthName()}. Values must be JSON-friendly: numbers, strings, booleans, null, lists, maps.
 */
public interface HealthContributor {
    String healthName();

    Map<String, Object> health();
}
