package io.tickstock.examples;

import io.tickstock.core.config.Settings;
import io.tickstock.core.universe.UniverseResolver;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a universe through a CSV source placed in front of the standard chain.
 * Run: {@code java -cp examples/target/tickstock-examples-all.jar io.tickstock.examples.CustomUniverseExample [file.csv] [key]}
 */
public final class CustomUniverseExample {
    public static void main(String[] args) throws Exception {
        Path csv;
        if (args.length > 0) {
            csv = Path.of(args[0]);
        } else {
            csv = Files.createTempFile("universes", ".csv");
            Files.writeString(csv, "universe_key,ticker\nmy:watchlist,aapl\nmy:watchlist,NVDA\nmy:watchlist,brk.b\n");
        }
        String key = args.length > 1 ? args[1] : "my:watchlist";

        UniverseResolver universes = UniverseResolver.fromSettings(Settings.load(), new CsvUniverseSource(csv));
        universes.resolve(key).ifPresentOrElse(
                u -> System.out.println(key + " from " + u.source() + ": " + u.tickers()),
                () -> System.out.println(key + ": no source knows it"));
        // Keys the CSV lacks fall through to UNIVERSES_FILE and the bundled samples:
        System.out.println("dow30 from " + universes.resolve("dow30").orElseThrow().source());
    }
}
