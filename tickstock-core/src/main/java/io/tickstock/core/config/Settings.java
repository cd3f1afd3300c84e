package io.tickstock.core.config;

import io.tickstock.core.internal.config.Durations;
import io.tickstock.core.internal.config.KeyCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Layered key/value configuration: Java system properties, then environment variables, then a
 * {@code .env} file, then the default given at the call site. Typed getters fail with a
 * {@link ConfigException} naming the key, the value and what is allowed.
 *
 * <p>Every key a component reads is noted, with its default: the keys the code declares by reading
 * them form the registry of known keys ({@link #knownKeys()}), without a central list every module
 * must edit. What is set but never read is likely misspelt ({@link KeyCheck}).
 */
public final class Settings {
    /** Names the {@code .env} file to read instead of {@code ./.env}. */
    public static final String ENV_FILE_KEY = "TICKSTOCK_ENV_FILE";

    private final List<Map<String, String>> layers;
    /** Keys read so far and their defaults ("" when none); shared by copies made with {@link #with}. */
    private final Map<String, String> read;

    private Settings(List<Map<String, String>> layers) {
        this(layers, new java.util.concurrent.ConcurrentHashMap<>());
    }

    private Settings(List<Map<String, String>> layers, Map<String, String> read) {
        this.layers = List.copyOf(layers);
        this.read = read;
    }

    /** System properties &gt; environment &gt; {@code .env} (or {@code TICKSTOCK_ENV_FILE}). */
    public static Settings load() {
        Map<String, String> props = new LinkedHashMap<>();
        System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
        Map<String, String> env = System.getenv();
        String envFile = props.getOrDefault(ENV_FILE_KEY, env.getOrDefault(ENV_FILE_KEY, ".env"));
        return new Settings(List.of(props, env, readEnvFile(Path.of(envFile))));
    }

    /** Settings from explicit layers, highest precedence first (for tests and embedding). */
    @SafeVarargs
    public static Settings of(Map<String, String>... layers) {
        return new Settings(Arrays.asList(layers));
    }

    /** A copy with {@code overrides} taking precedence over everything here. */
    public Settings with(Map<String, String> overrides) {
        List<Map<String, String>> all = new ArrayList<>();
        all.add(Map.copyOf(overrides));
        all.addAll(layers);
        return new Settings(all, read);
    }

    /** Parses a {@code .env} file: {@code KEY=value}, {@code export KEY=value}, # comments, quotes. */
    public static Map<String, String> readEnvFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            Map<String, String> values = new LinkedHashMap<>();
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new ConfigException(ENV_FILE_KEY, file.toString(), "a file in UTF-8 (this one has bytes that "
                        + "are not UTF-8; save it as UTF-8)");
            }
            for (String raw : lines) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("export ")) {
                    line = line.substring(7).strip();
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String value = line.substring(eq + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                } else {
                    int comment = value.indexOf(" #");
                    if (comment >= 0) {
                        value = value.substring(0, comment).strip();
                    }
                }
                values.put(line.substring(0, eq).strip(), value);
            }
            return Collections.unmodifiableMap(values);
        } catch (IOException e) {
            throw new ConfigException(ENV_FILE_KEY, file.toString(), "a readable file (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /** The raw value, blank values treated as unset. */
    public Optional<String> get(String key) {
        read.putIfAbsent(key, "");
        for (Map<String, String> layer : layers) {
            String v = layer.get(key);
            if (v != null && !v.isBlank()) {
                return Optional.of(v.strip());
            }
        }
        return Optional.empty();
    }

    /** The value of {@code key}, or {@code defaultValue} (noted as its default) when unset. */
    public String get(String key, String defaultValue) {
        noteDefault(key, defaultValue);
        return get(key).orElse(defaultValue);
    }

    /** An integer from {@code min} to {@code max}; anything else fails with a {@link ConfigException} naming the key. */
    public int getInt(String key, int defaultValue, int min, int max) {
        noteDefault(key, defaultValue);
        return get(key).map(v -> parse(key, v, s -> {
            int n = Integer.parseInt(s);
            if (n < min || n > max) {
                throw new IllegalArgumentException();
            }
            return n;
        }, "an integer from " + min + " to " + max)).orElse(defaultValue);
    }

    /** A long from {@code min} to {@code max}; anything else fails with a {@link ConfigException} naming the key. */
    public long getLong(String key, long defaultValue, long min, long max) {
        noteDefault(key, defaultValue);
        return get(key).map(v -> parse(key, v, s -> {
            long n = Long.parseLong(s);
            if (n < min || n > max) {
                throw new IllegalArgumentException();
            }
            return n;
        }, "an integer from " + min + " to " + max)).orElse(defaultValue);
    }

    /** {@code true/yes/1/on} or {@code false/no/0/off}, any case; anything else fails with a {@link ConfigException}. */
    public boolean getBoolean(String key, boolean defaultValue) {
        noteDefault(key, defaultValue);
        return get(key).map(v -> parse(key, v, s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException();
        }, "true or false")).orElse(defaultValue);
    }

    /** A duration ({@code 500ms}, {@code 5s}, {@code 2m} …); anything else fails with a {@link ConfigException}. */
    public Duration getDuration(String key, Duration defaultValue) {
        noteDefault(key, defaultValue == null ? null : Durations.format(defaultValue));
        return get(key).map(v -> parse(key, v, Durations::parse, Durations.ALLOWED)).orElse(defaultValue);
    }

    /** A duration that must be strictly positive. */
    public Duration getPositiveDuration(String key, Duration defaultValue) {
        Duration d = getDuration(key, defaultValue);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(key, get(key).orElse(null), "a duration greater than zero");
        }
        return d;
    }

    /** One of {@code allowed} (case-insensitive); returns the canonical spelling from {@code allowed}. */
    public String getChoice(String key, String defaultValue, List<String> allowed) {
        noteDefault(key, defaultValue);
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(raw.get())) {
                return a;
            }
        }
        throw new ConfigException(key, raw.get(), "one of " + String.join(", ", allowed));
    }

    /** Comma-separated list, items trimmed, empty items dropped. */
    public List<String> getList(String key) {
        return get(key).map(v -> Arrays.stream(v.split(","))
                .map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableList())).orElse(List.of());
    }

    /** A secret value; its {@code toString} never shows it. */
    public Optional<Secret> getSecret(String key) {
        return get(key).map(Secret::new);
    }

    private void noteDefault(String key, Object defaultValue) {
        if (defaultValue != null) {
            read.put(key, String.valueOf(defaultValue));
        }
    }

    /** The keys read so far, sorted: the registry of keys this configuration knows. */
    public java.util.SortedSet<String> knownKeys() {
        return new java.util.TreeSet<>(read.keySet());
    }

    /** The default noted for a key that was read with one, or empty. */
    public Optional<String> defaultOf(String key) {
        String d = read.get(key);
        return d == null || d.isEmpty() ? Optional.empty() : Optional.of(d);
    }

    /** Every key set in some layer (properties, environment, {@code .env} or overrides), sorted. */
    public java.util.SortedSet<String> setKeys() {
        java.util.SortedSet<String> keys = new java.util.TreeSet<>();
        for (Map<String, String> layer : layers) {
            layer.forEach((k, v) -> {
                if (v != null && !v.isBlank()) {
                    keys.add(k);
                }
            });
        }
        return keys;
    }

    private static <T> T parse(String key, String value, Function<String, T> parser, String allowed) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new ConfigException(key, value, allowed);
        }
    }

    @Override
    public String toString() {
        return "Settings[" + layers.size() + " layers]";
    }
}
