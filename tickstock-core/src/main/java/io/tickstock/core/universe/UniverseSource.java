package io.tickstock.core.universe;

import java.util.List;
import java.util.Optional;

/** One place universes come from (Redis, a JSON file, the bundled samples …). */
public interface UniverseSource {
    /** Short name for logs, e.g. {@code file:/etc/tickstock/universes.json}. */
    String name();

    /**
     * The raw tickers of {@code key}, not yet validated; empty when this source does not know the
     * key, so the next source is asked.
     */
    Optional<List<String>> load(String key);
}
