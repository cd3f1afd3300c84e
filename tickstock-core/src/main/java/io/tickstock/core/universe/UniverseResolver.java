package io.tickstock.core.universe;

import io.tickstock.core.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The universe chain: the first source that knows a key with a non-empty list wins. */
public final class UniverseResolver {
    private static final Logger LOG = LoggerFactory.getLogger(UniverseResolver.class);
    private final List<UniverseSource> sources;

    /** A resolved universe: validated tickers and the source they came from. */
    public record Resolved(String key, String source, List<String> tickers) {
        /** Copies {@code tickers} into an immutable list. */
        public Resolved {
            tickers = List.copyOf(tickers);
        }
    }

    /** Resolves keys through {@code sources}, the first that knows a key winning. */
    public UniverseResolver(List<UniverseSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /**
     * The default chain from configuration: {@code extraFirst} (e.g. Redis), then {@code UNIVERSES_FILE}
     * when set, then the bundled samples.
     */
    public static UniverseResolver fromSettings(Settings settings, UniverseSource... extraFirst) {
        List<UniverseSource> chain = new ArrayList<>(List.of(extraFirst));
        settings.get(FileUniverseSource.KEY).ifPresent(f -> {
            try {
                chain.add(new FileUniverseSource(Path.of(f)));
            } catch (RuntimeException e) {
                throw new io.tickstock.core.config.ConfigException(FileUniverseSource.KEY, f,
                        "a readable JSON file of universes (" + e.getMessage() + ")");
            }
        });
        chain.add(new BundledUniverseSource());
        return new UniverseResolver(chain);
    }

    /** Just the bundled samples. */
    public static UniverseResolver bundled() {
        return new UniverseResolver(List.of(new BundledUniverseSource()));
    }

    /** The sources, in the order they are asked. */
    public List<UniverseSource> sources() {
        return sources;
    }

    /** Validated tickers of {@code key} from the first source with a non-empty list. */
    public Optional<Resolved> resolve(String key) {
        for (UniverseSource source : sources) {
            Optional<List<String>> raw;
            try {
                raw = source.load(key);
            } catch (RuntimeException e) {
                LOG.warn("universe source {} failed for '{}': {}", source.name(), key, e.toString());
                continue;
            }
            if (raw.isPresent()) {
                List<String> tickers = Tickers.normalizeLogged(raw.get(), "universe " + key + " (" + source.name() + ")");
                if (!tickers.isEmpty()) {
                    return Optional.of(new Resolved(key, source.name(), tickers));
                }
                LOG.warn("universe '{}' is empty in {}; trying the next source", key, source.name());
            }
        }
        return Optional.empty();
    }
}
