package io.tickstock.core.universe;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UniverseResolverTest {

    private static UniverseSource fixed(String name, Map<String, List<String>> data) {
        return new MapUniverseSource(name, data);
    }

    @Test
    void firstSourceWithANonEmptyListWins() {
        UniverseResolver r = new UniverseResolver(List.of(
                fixed("one", Map.of("a", List.of(), "b", List.of("ibm"))),
                fixed("two", Map.of("a", List.of("KO", " pep ", "KO", "bad ticker!")))));
        assertThat(r.resolve("a")).hasValueSatisfying(u -> {
            assertThat(u.source()).isEqualTo("two");
            assertThat(u.tickers()).containsExactly("KO", "PEP");
        });
        assertThat(r.resolve("b").orElseThrow().tickers()).containsExactly("IBM");
        assertThat(r.resolve("missing")).isEmpty();
    }

    @Test
    void aFailingSourceIsSkipped() {
        UniverseSource broken = new UniverseSource() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Optional<List<String>> load(String key) {
                throw new IllegalStateException("down");
            }
        };
        UniverseResolver r = new UniverseResolver(List.of(broken, fixed("ok", Map.of("a", List.of("GE")))));
        assertThat(r.resolve("a").orElseThrow().tickers()).containsExactly("GE");
    }

    @Test
    void fileSourceComesBeforeTheBundledSamples(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("universes.json");
        Files.writeString(file, "{\"dow30\": [\"AAPL\"], \"mine:list\": [\"ko\", \"PEP\"]}");
        UniverseResolver r = UniverseResolver.fromSettings(Settings.of(Map.of("UNIVERSES_FILE", file.toString())));
        assertThat(r.resolve("dow30").orElseThrow().tickers()).containsExactly("AAPL");
        assertThat(r.resolve("mine:list").orElseThrow().tickers()).containsExactly("KO", "PEP");
        assertThat(r.resolve("nasdaq100").orElseThrow().source()).startsWith("bundled samples");
    }

    @Test
    void unreadableUniversesFileFailsStartUpNamingTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"a\": [\"AAPL\",]}");
        assertThatThrownBy(() -> UniverseResolver.fromSettings(Settings.of(Map.of("UNIVERSES_FILE", file.toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("UNIVERSES_FILE");
    }

    @Test
    void bundledSamplesAreRealValidLists() {
        BundledUniverseSource b = new BundledUniverseSource();
        assertThat(b.asOf()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(b.keys()).contains("market_leaders:top_50", "market_leaders:top_500", "tech_leaders:top_10",
                "finance_sector:large_cap", "dow30", "nasdaq100");
        for (String key : b.keys()) {
            List<String> raw = b.load(key).orElseThrow();
            assertThat(Tickers.normalize(raw).rejected()).as(key).isEmpty();
        }
        assertThat(b.load("dow30").orElseThrow()).hasSize(30).contains("AAPL", "JPM");
        assertThat(b.load("tech_leaders:top_10").orElseThrow()).hasSize(10);
        assertThat(b.load("market_leaders:top_500").orElseThrow()).hasSizeGreaterThanOrEqualTo(500);
    }

    @Test
    void tickersAreValidatedWithReasons() {
        Tickers.Normalized n = Tickers.normalize(List.of(" aapl", "BRK.B", "1ABC", "TOOLONGTICKER", "AAPL", ""));
        assertThat(n.tickers()).containsExactly("AAPL", "BRK.B");
        assertThat(n.rejected()).containsOnlyKeys("1ABC", "TOOLONGTICKER", "AAPL");
        assertThat(n.rejected().get("AAPL")).isEqualTo("duplicate");
    }
}
