package io.tickstock.core.universe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Ticker clean-up: trim, upper-case, validate, de-duplicate (order kept). */
public final class Tickers {
    private static final Logger LOG = LoggerFactory.getLogger(Tickers.class);
    /**
     * Longest ticker accepted anywhere, from configuration or from the feed. Real US tickers with
     * their class and warrant suffixes (BRK.A, XYZ.WS.A) fit well inside it; longer symbols are
     * invalid input, which keeps per-symbol state bounded in size.
     */
    public static final int MAX_SYMBOL_LENGTH = 10;
    private static final Pattern VALID = Pattern.compile("^[A-Z][A-Z0-9.\\-]{0," + (MAX_SYMBOL_LENGTH - 1) + "}$");

    private Tickers() {
    }

    /** The valid tickers and, for each reject, why. */
    public record Normalized(List<String> tickers, Map<String, String> rejected) {
        /** Copies both into unmodifiable collections (the rejects keep their order). */
        public Normalized {
            tickers = List.copyOf(tickers);
            rejected = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rejected));
        }
    }

    /** {@code "1 ticker"}, {@code "0 tickers"}, {@code "25 tickers"}: for log lines and messages. */
    public static String count(long n) {
        return n + (n == 1 ? " ticker" : " tickers");
    }

    /** Whether {@code ticker} matches the accepted ticker shape, as given (it is not normalised first). */
    public static boolean isValid(String ticker) {
        return ticker != null && VALID.matcher(ticker).matches();
    }

    /** Normalizes one ticker; null if it is not valid after trimming and upper-casing. */
    public static String normalizeOne(String raw) {
        if (raw == null) {
            return null;
        }
        String t = raw.strip().toUpperCase(Locale.ROOT);
        return isValid(t) ? t : null;
    }

    /** Normalizes a list without logging. */
    public static Normalized normalize(Collection<String> raw) {
        Set<String> valid = new LinkedHashSet<>();
        Map<String, String> rejected = new LinkedHashMap<>();
        for (String r : raw) {
            String t = r == null ? "" : r.strip().toUpperCase(Locale.ROOT);
            if (t.isEmpty()) {
                continue; // "AAPL,,MSFT," is a harmless typo
            }
            if (!isValid(t)) {
                rejected.put(r, "does not match " + VALID.pattern());
            } else if (!valid.add(t)) {
                rejected.put(r, "duplicate");
            }
        }
        return new Normalized(new ArrayList<>(valid), rejected);
    }

    /** Normalizes and logs each reject with its reason, naming {@code origin} (a key or file). */
    public static List<String> normalizeLogged(Collection<String> raw, String origin) {
        Normalized n = normalize(raw);
        n.rejected().forEach((t, why) -> {
            if (!"duplicate".equals(why)) {
                LOG.warn("{}: ticker '{}' rejected: {}", origin, t, why);
            } else {
                LOG.debug("{}: ticker '{}' listed twice", origin, t);
            }
        });
        return n.tickers();
    }
}
