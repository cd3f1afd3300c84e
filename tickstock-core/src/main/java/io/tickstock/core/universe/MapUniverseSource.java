package io.tickstock.core.universe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Universes held in memory: fixed lists known at start-up, or a test's data. */
public final class MapUniverseSource implements UniverseSource {
    private final String name;
    private final Map<String, List<String>> universes;

    /** Universes given in code, by key; {@code name} says where they came from. */
    public MapUniverseSource(String name, Map<String, List<String>> universes) {
        this.name = name;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        universes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.universes = java.util.Collections.unmodifiableMap(copy);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<List<String>> load(String key) {
        return Optional.ofNullable(universes.get(key));
    }
}
