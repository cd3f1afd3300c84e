package io.tickstock.core.universe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Universes from the {@code UNIVERSES_FILE} JSON: {@code {"market_leaders:top_500": ["AAPL", …], …}}. */
public final class FileUniverseSource implements UniverseSource {
    /**
     * {@code UNIVERSES_FILE}: JSON file {@code {"market_leaders:top_500": ["AAPL", …], …}}, read once at
     * start-up; asked after Redis and before the bundled samples.
     */
    public static final String KEY = "UNIVERSES_FILE";
    private final Path file;
    private final Map<String, List<String>> universes;

    /** Reads the file once. @throws IllegalArgumentException when it is missing or not valid JSON */
    public FileUniverseSource(Path file) {
        this.file = file;
        try {
            this.universes = JsonUniverses.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read universes file " + file, e);
        }
    }

    @Override
    public String name() {
        return "file:" + file;
    }

    @Override
    public Optional<List<String>> load(String key) {
        return Optional.ofNullable(universes.get(key));
    }
}
