package io.tickstock.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureReplayExampleIT {
    @TempDir
    Path dir;

    @Test
    void recordsTheDemoFeedAndReplaysTheSameEventsPerTicker() throws Exception {
        Output out = new Output();
        Map<String, Long> replayed = CaptureReplayExample.run(dir, Duration.ofSeconds(2), out.stream);
        assertThat(replayed.keySet()).containsExactly("AAPL", "JPM", "KO", "MSFT", "NVDA");
        assertThat(out.lines()).contains("Same events per ticker.")
                .anySatisfy(l -> assertThat(l).startsWith("Recorded ").contains("connection_1."))
                .anySatisfy(l -> assertThat(l).startsWith("Replayed ").contains(" at 10x in "));
    }
}
