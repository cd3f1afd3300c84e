package io.tickstock.emulator;

import io.tickstock.core.universe.BundledUniverseSource;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tickers the emulator's market lists: every ticker of the bundled sample universes, the
 * synthetic test tickers {@code TK0000}–{@code TK99999} (so that scale tests can use thousands),
 * the wildcard tickers and any configured extra ones. A subscription to any other ticker is
 * acknowledged and stays silent, as on the real feed.
 */
final class KnownTickers {
    /** Synthetic tickers for tests and benchmarks: {@code TK} and four or five digits. */
    static final Pattern SYNTHETIC = Pattern.compile("TK[0-9]{4,5}");
    private final Set<String> listed;

    KnownTickers(Collection<String> wildcard, Collection<String> extra) {
        Set<String> s = new HashSet<>(Bundled.TICKERS);
        s.addAll(wildcard);
        s.addAll(extra);
        this.listed = Set.copyOf(s);
    }

    boolean contains(String ticker) {
        return listed.contains(ticker) || SYNTHETIC.matcher(ticker).matches();
    }

    /** The bundled universes' tickers, read once. */
    private static final class Bundled {
        static final Set<String> TICKERS = load();

        private static Set<String> load() {
            BundledUniverseSource source = new BundledUniverseSource();
            Set<String> all = new HashSet<>();
            for (String key : source.keys()) {
                all.addAll(source.load(key).orElse(List.of()));
            }
            return Set.copyOf(all);
        }
    }
}
