package io.tickstock.core.universe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sample universes shipped in the core jar (real, well-known US tickers; approximate
 * memberships as of {@link #asOf()}; sample data, not maintained).
 */
public final class BundledUniverseSource implements UniverseSource {
    static final String RESOURCE = "/io/tickstock/core/universe/sample-universes.json";
    private final Map<String, List<String>> universes;
    private final String asOf;

    /** Loads the sample universes bundled in the jar. */
    public BundledUniverseSource() {
        try (InputStream in = BundledUniverseSource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Object root = JsonUniverses.readTree(json, RESOURCE);
            this.universes = JsonUniverses.fromTree(root, RESOURCE);
            this.asOf = root instanceof Map<?, ?> m && m.get("as_of") instanceof String s ? s : "unknown";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "bundled samples (as of " + asOf + ")";
    }

    /** The date the bundled lists were taken. */
    public String asOf() {
        return asOf;
    }

    /** The bundled universe keys. */
    public Set<String> keys() {
        return universes.keySet();
    }

    @Override
    public Optional<List<String>> load(String key) {
        return Optional.ofNullable(universes.get(key));
    }
}
