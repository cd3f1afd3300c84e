package io.tickstock.examples;

import io.tickstock.core.universe.UniverseSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A custom {@link UniverseSource}: universes from a CSV file with lines {@code universe_key,ticker}
 * (a header line starting with {@code universe} is skipped). Plug it in first in the chain:
 * <pre>{@code
 * UniverseResolver universes = UniverseResolver.fromSettings(settings, new CsvUniverseSource(path));
 * }</pre>
 * The resolver validates and de-duplicates the tickers; a source only returns what it has.
 */
public final class CsvUniverseSource implements UniverseSource {
    private final Path file;

    public CsvUniverseSource(Path file) {
        this.file = file;
    }

    @Override
    public String name() {
        return "csv:" + file;
    }

    @Override
    public Optional<List<String>> load(String key) {
        List<String> tickers = read().get(key);
        return Optional.ofNullable(tickers);
    }

    /** Re-read on every call, so edits to the file apply at the next resolution. */
    private Map<String, List<String>> read() {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] cells = line.split(",", 2);
                if (cells.length < 2 || line.startsWith("universe") || line.isBlank()) {
                    continue;
                }
                byKey.computeIfAbsent(cells[0].strip(), k -> new ArrayList<>()).add(cells[1].strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return byKey;
    }
}
