package io.tickstock.core.config;

import java.util.List;
import java.util.Optional;

/**
 * One connection slot as configured.
 *
 * @param index       1-based slot number
 * @param name        display name (primary / secondary / …)
 * @param enabled     whether the slot is in use
 * @param universeKey universe to load tickers from, preferred over {@code symbols}
 * @param symbols     explicit tickers, the fallback when the universe is missing or empty (raw, not yet validated)
 * @param priority    priority tier shown on the dashboard
 */
public record ConnectionConfig(int index, String name, boolean enabled, Optional<String> universeKey,
                               List<String> symbols, String priority) {
    /** The symbols value that subscribes a slot to every ticker of its channels. */
    public static final String WHOLE_MARKET = "*";

    /** Copies {@code symbols} into an immutable list. */
    public ConnectionConfig {
        symbols = List.copyOf(symbols);
    }

    /** Whether this slot carries the whole market ({@code SYMBOLS=*}). */
    public boolean wholeMarket() {
        return universeKey.isEmpty() && symbols.size() == 1 && symbols.get(0).strip().equals(WHOLE_MARKET);
    }

    /** The connection id used everywhere: {@code connection_<index>}. */
    public String id() {
        return idOf(index);
    }

    /** The id of the 1-based slot {@code index}: {@code connection_<index>}. */
    public static String idOf(int index) {
        return "connection_" + index;
    }

    /** What the tickers come from, for display: the universe key, else the symbol list, else "none". */
    public String configSource() {
        return universeKey.map(k -> "universe:" + k)
                .orElse(symbols.isEmpty() ? "none" : "symbols:" + String.join(",", symbols));
    }
}
