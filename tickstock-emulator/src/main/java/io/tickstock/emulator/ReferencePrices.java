package io.tickstock.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each ticker's random walk starts and returns to: a plausible price for every ticker of the
 * bundled sample universes (a small table shipped with the emulator, approximate and as of the
 * universes' date), and for any other ticker a fixed price derived from its name alone.
 */
final class ReferencePrices {
    static final String RESOURCE = "/io/tickstock/emulator/reference-prices.txt";
    /** Fallback range for tickers the table does not list: 10.00 to 500.00. */
    static final long FALLBACK_MIN_CENTS = 1_000;
    static final long FALLBACK_MAX_CENTS = 50_000;
    private static final Map<String, Long> TABLE = load();

    private ReferencePrices() {
    }

    /** The reference price of {@code ticker} in cents. */
    static long cents(String ticker) {
        Long listed = TABLE.get(ticker);
        if (listed != null) {
            return listed;
        }
        long h = TickerStream.mix(ticker.hashCode());
        return FALLBACK_MIN_CENTS + Math.floorMod(h, FALLBACK_MAX_CENTS - FALLBACK_MIN_CENTS);
    }

    /** Whether the table lists {@code ticker}. */
    static boolean isListed(String ticker) {
        return TABLE.containsKey(ticker);
    }

    private static Map<String, Long> load() {
        Map<String, Long> m = new HashMap<>();
        try (InputStream in = ReferencePrices.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                m.put(parts[0], new BigDecimal(parts[1]).movePointRight(2).longValueExact());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(m);
    }
}
