package io.tickstock.examples;

import io.tickstock.core.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedFeedExampleIT {
    @Test
    void withoutAKeyItStartsTheEmulatorAndPrintsExactlyTheRequestedTicks() throws Exception {
        Output out = new Output();
        EmbeddedFeedExample.run(Settings.of(Map.of()), new String[] {"--ticks", "25", "--seconds", "60"}, out.stream);

        List<String> lines = out.lines();
        assertThat(lines.get(0)).startsWith("No MASSIVE_API_KEY set: started the Massive emulator on ws://127.0.0.1:");
        assertThat(lines.get(1)).isEqualTo(
                "Connecting; tickers [AAPL, AMZN, GOOGL, META, MSFT, NFLX, NVDA, TSLA]; stopping after 25 ticks or 60.0 s");
        List<String> ticks = lines.stream().filter(l -> l.matches("[A-Z]+ +\\d+\\.\\d{4} x \\d+ +T via connection_1")).toList();
        assertThat(ticks).hasSize(25);
        assertThat(lines).noneMatch(l -> l.startsWith("Not connected"));
        String last = lines.get(lines.size() - 1);
        assertThat(last).matches("Printed 25 ticks; the feed delivered \\d+ in all \\(it kept running while stopping\\)");
        long delivered = Long.parseLong(last.replaceAll("\\D+(\\d+)\\D+(\\d+).*", "$2"));
        assertThat(delivered).isGreaterThanOrEqualTo(25);
    }
}
