package io.tickstock.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 */
public final class Settings {
    /** Names the {@code .env} file to read instead of {@code ./.env}. */
    public static final String ENV_FILE_KEY = "TICKSTOCK_ENV_FILE";

    private final List<Map<String, String>> layers;

    private Settings(List<Map<String, String>> layers) {
        this.layers = List.copyOf(layers);
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
        return new Settings(all);
    }

    /** Parses a {@code .env} file: {@code KEY=value}, {@code export KEY=value}, # comments, quotes. */
    public static Map<String, String> readEnvFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            Map<String, String> values = new LinkedHashMap<>();
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
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
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The raw value, blank values treated as unset. */
    public Optional<String> get(String key) {
        for (Map<String, String> layer : layers) {
            String v = layer.get(key);
            if (v != null && !v.isBlank()) {
                return Optional.of(v.strip());
            }
        }
        return Optional.empty();
    }

    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    public int getInt(String key, int defaultValue, int min, int max) {
        return get(key).map(v -> parse(key, v, s -> {
            int n = Integer.parseInt(s);
            if (n < min || n > max) {
                throw new IllegalArgumentException();
            }
            return n;
        }, "an integer from " + min + " to " + max)).orElse(defaultValue);
    }

    public long getLong(String key, long defaultValue, long min, long max) {
        return get(key).map(v -> parse(key, v, s -> {
            long n = Long.parseLong(s);
            if (n < min || n > max) {
                throw new IllegalArgumentException();
            }
            return n;
        }, "an integer from " + min + " to " + max)).orElse(defaultValue);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return get(key).map(v -> parse(key, v, s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException();
        }, "true or false")).orElse(defaultValue);
    }

    public Duration getDuration(String key, Duration defaultValue) {
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
