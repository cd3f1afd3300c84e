package io.tickstock.core.internal.config;

import io.tickstock.core.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds keys that are set but that nothing read: with one of the project's prefixes they are most
 * likely misspelt, and a misspelt key would otherwise be silently ignored. Run it after every
 * component has read its configuration.
 */
public final class KeyCheck {
    /** The prefixes of the gateway's keys. */
    public static final List<String> GATEWAY_PREFIXES = List.of("ADMIN_", "MASSIVE_", "REDIS_", "TICKSTOCK_",
            "WEBSOCKET_", "USE_MULTI", "SYMBOL_", "UNIVERSE");

    private KeyCheck() {
    }

    /** One key set but not read, with the known key it most resembles, if any. */
    public record Unused(String key, Optional<String> suggestion) {
        /** One line for the log: names the key and, when there is one, the likely intended key. */
        public String message() {
            return "Configuration key " + key + " is set but not used"
                    + suggestion.map(s -> "; did you mean " + s + "?").orElse(" by this configuration");
        }
    }

    /** The keys set with one of {@code prefixes} that {@code settings} never read, sorted. */
    public static List<Unused> unused(Settings settings, List<String> prefixes) {
        List<String> known = new ArrayList<>(settings.knownKeys());
        List<Unused> out = new ArrayList<>();
        for (String key : settings.setKeys()) {
            String upper = key.toUpperCase(Locale.ROOT);
            if (known.contains(key) || prefixes.stream().noneMatch(upper::startsWith)) {
                continue;
            }
            out.add(new Unused(key, closest(upper, known)));
        }
        return out;
    }

    /** The known key nearest to {@code key} by edit distance, when it is near enough to be a typo. */
    static Optional<String> closest(String key, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k.toUpperCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        // a few edits, fewer for short keys: "REDIS_URI" → REDIS_URL, never an unrelated key
        return best != null && bestDistance <= Math.max(1, Math.min(3, key.length() / 6))
                ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance with transpositions counted as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3) {
            return Integer.MAX_VALUE; // far apart anyway; keeps the check cheap for long keys
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
