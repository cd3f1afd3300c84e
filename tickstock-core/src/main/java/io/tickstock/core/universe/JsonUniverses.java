package io.tickstock.core.universe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code {"key": ["AAPL", …], …}} (optionally wrapped as {@code {"universes": {…}}}). */
final class JsonUniverses {
    private JsonUniverses() {
    }

    static Map<String, List<String>> parse(String json, String origin) {
        return fromTree(readTree(json, origin), origin);
    }

    static Object readTree(String json, String origin) {
        try {
            return SimpleJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    static Map<String, List<String>> fromTree(Object root, String origin) {
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException(origin + ": expected a JSON object of universe key -> ticker array");
        }
        Object wrapped = top.get("universes");
        Map<?, ?> universes = wrapped instanceof Map<?, ?> w ? w : top;
        Map<String, List<String>> out = new LinkedHashMap<>();
        universes.forEach((k, v) -> {
            if (v instanceof List<?> list) {
                List<String> tickers = new ArrayList<>();
                for (Object o : list) {
                    if (o instanceof String s) {
                        tickers.add(s);
                    }
                }
                out.put(String.valueOf(k), List.copyOf(tickers));
            }
        });
        return out;
    }
}
