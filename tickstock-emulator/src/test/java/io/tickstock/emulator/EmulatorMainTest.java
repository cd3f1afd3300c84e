package io.tickstock.emulator;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmulatorMainTest {
    @Test
    void helpListsEverySwitch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(EmulatorMain.parse(new String[]{"--help"}, new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                .isNull();
        String help = bytes.toString(StandardCharsets.UTF_8);
        for (String option : new String[]{"--port", "--api-keys", "--events-per-second", "--max-connections",
                "--batch-size", "--seed", "--max-frame-bytes", "--auth-timeout", "--ack-mode", "--slow-consumer-kill",
                "--pong-delay", "--no-compression", "--wildcard-tickers", "--host", "--max-backlog-bytes",
                "--compressed-day", "--known-tickers"}) {
            assertThat(help).contains(option);
        }
    }

    @Test
    void optionsConfigureTheEmulator() {
        MassiveEmulator e = EmulatorMain.parse(new String[]{"--port", "0", "--api-keys", "a,b",
                "--events-per-second=250", "--max-connections", "1", "--slow-consumer-kill", "1000",
                "--pong-delay", "2s"}, System.out);
        assertThat(e).isNotNull();
        assertThat(e.faults().slowConsumerKillBytes()).isEqualTo(1000);
        assertThat(e.faults().pongDelay().toMillis()).isEqualTo(2000);
        assertThat(e.clock()).isEqualTo(java.time.Clock.systemUTC());
    }

    @Test
    void aCompressedDayReplacesTheWallClock() {
        MassiveEmulator e = EmulatorMain.parse(new String[]{"--compressed-day", "90s"}, System.out);
        assertThat(e.clock()).isInstanceOfSatisfying(CompressedTradingDay.class,
                d -> assertThat(d.dayLength()).isEqualTo(java.time.Duration.ofSeconds(90)));
        assertThatThrownBy(() -> EmulatorMain.parse(new String[]{"--compressed-day", "50ms"}, System.out))
                .hasMessageContaining("--compressed-day");
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> EmulatorMain.parse(new String[]{"--bogus", "1"}, System.out))
                .hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> EmulatorMain.parse(new String[]{"--port", "x"}, System.out))
                .hasMessageContaining("--port");
        assertThatThrownBy(() -> EmulatorMain.parse(new String[]{"--max-connections", "0"}, System.out))
                .hasMessageContaining("--max-connections");
        assertThatThrownBy(() -> EmulatorMain.parse(new String[]{"--port"}, System.out))
                .hasMessageContaining("needs a value");
    }
}
