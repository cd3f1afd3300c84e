package io.tickstock.examples;

import io.tickstock.core.config.Settings;
import io.tickstock.core.universe.UniverseResolver;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a universe through a CSV source placed in front of the standard chain.
 * Run: {@code java -cp examples/target/tickstock-examples-all.jar io.tickstock.examples.CustomUniverseExample [file.csv] [key]}
 */
public final class CustomUniverseExample {
    static final String USAGE = CommandLine.usage(CustomUniverseExample.class, "[file.csv] [universe key] [--help]");

    public static void main(String[] args) throws Exception {
        CommandLine.exit(USAGE, () -> {
            checkArguments(args); // a bad command line fails before the configuration is read
            run(Settings.load(), args, System.out);
        });
    }

    /** At most a CSV file and a universe key; no options but {@code --help}. */
    static void checkArguments(String[] args) {
        for (String a : args) {
            CommandLine.checkHelp(a);
            if (a.startsWith("-")) {
                throw new CommandLine.UsageException("Unknown argument: " + a);
            }
        }
        if (args.length > 2) {
            throw new CommandLine.UsageException("Too many arguments: " + String.join(" ", args));
        }
    }

    static void run(Settings settings, String[] args, PrintStream out) throws Exception {
        checkArguments(args);
        Path csv;
        if (args.length > 0) {
            csv = Path.of(args[0]);
        } else {
            csv = Files.createTempFile("universes", ".csv");
            Files.writeString(csv, "universe_key,ticker\nmy:watchlist,aapl\nmy:watchlist,NVDA\nmy:watchlist,brk.b\n");
        }
        String key = args.length > 1 ? args[1] : "my:watchlist";

        UniverseResolver universes = UniverseResolver.fromSettings(settings, new CsvUniverseSource(csv));
        universes.resolve(key).ifPresentOrElse(
                u -> out.println(key + " from " + u.source() + ": " + u.tickers()),
                () -> out.println(key + ": no source knows it"));
        // Keys the CSV lacks fall through to UNIVERSES_FILE and the bundled samples:
        out.println("dow30 from " + universes.resolve("dow30").orElseThrow().source());
    }
}
