package io.tickstock.core.internal.health;

import io.tickstock.core.health.ConnectionHealth;
import io.tickstock.core.health.HealthStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Java carries epoch milliseconds; the JSON shape gives seconds that always print plainly. */
class EpochSecondsTest {
    private static final long MILLIS = 1_796_134_770_481L;

    @Test
    void secondsPrintPlainlyWithMillisecondDecimals() {
        assertThat(EpochSeconds.of(MILLIS).toString()).isEqualTo("1796134770.481");
        assertThat(EpochSeconds.of(1_796_134_770_000L).toString()).isEqualTo("1796134770.000");
        assertThat(EpochSeconds.of(Instant.ofEpochMilli(MILLIS)).toString()).isEqualTo("1796134770.481");
        assertThat(EpochSeconds.of((Long) null)).isNull();
        assertThat(EpochSeconds.of((Instant) null)).isNull();
        assertThat(String.valueOf(MILLIS / 1000.0)).as("what a double would print").isEqualTo("1.796134770481E9");
    }

    @Test
    void theHealthShapeGivesSecondsWhereJavaHasMilliseconds() {
        ConnectionHealth c = new ConnectionHealth("primary", "connected", 3, 10, 0, MILLIS, 1.5, null, MILLIS - 60_000,
                "standard", false);
        HealthStatus h = new HealthStatus(1, 1, 10, 0, Map.of("connection_1", c), 10, HealthStatus.SequenceFigures.NONE,
                0, HealthStatus.SymbolStateFigures.NONE, 0, Map.of(), MILLIS + 5);
        assertThat(h.generatedAtMillis()).isEqualTo(MILLIS + 5);
        assertThat(c.lastMessageTimeMillis()).isEqualTo(MILLIS);
        Map<String, Object> json = h.toMap();
        assertThat(json.get("generated_at")).hasToString("1796134770.486");
        @SuppressWarnings("unchecked")
        Map<String, Object> conn = (Map<String, Object>) ((Map<String, Object>) json.get("connections")).get("connection_1");
        assertThat(conn.get("last_message_time")).hasToString("1796134770.481");
        assertThat(conn.get("connected_since")).hasToString("1796134710.481");
        assertThat(json.toString()).doesNotContain("E9");
    }
}
