package io.tickstock.examples;

import io.tickstock.core.universe.UniverseResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvUniverseSourceTest {
    @Test
    void csvUniverseIsResolvedFirstAndOthersFallThrough(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("u.csv");
        Files.writeString(csv, "universe_key,ticker\nmine,aapl\nmine, MSFT \nmine,not valid\nother,KO\n");
        UniverseResolver r = new UniverseResolver(List.of(new CsvUniverseSource(csv),
                new io.tickstock.core.universe.BundledUniverseSource()));

        assertThat(r.resolve("mine").orElseThrow().tickers()).containsExactly("AAPL", "MSFT");
        assertThat(r.resolve("other").orElseThrow().source()).isEqualTo("csv:" + csv);
        assertThat(r.resolve("dow30").orElseThrow().source()).startsWith("bundled");
        assertThat(r.resolve("unknown")).isEmpty();
    }

    @Test
    void theExampleProgramPrintsTheResolvedUniverse() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        // main exits the JVM with the example's exit code; run is its body
        CustomUniverseExample.run(io.tickstock.core.config.Settings.load(), new String[0],
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("my:watchlist from csv:").contains("[AAPL, NVDA, BRK.B]")
                .contains("dow30 from bundled samples");
    }
}
