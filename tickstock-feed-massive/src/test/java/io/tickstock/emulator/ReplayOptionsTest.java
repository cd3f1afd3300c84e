package io.tickstock.emulator;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayOptionsTest {
    private static final PrintStream OUT = new PrintStream(new ByteArrayOutputStream());

    private static String fixture() throws URISyntaxException {
        return Path.of(ReplayOptionsTest.class.getResource("/captures/emulator-4-tickers").toURI()).toString();
    }

    @Test
    void speedsAreOneXTenXOrMax() {
        assertThat(ReplayOptions.parseSpeed("1x")).isEqualTo(1);
        assertThat(ReplayOptions.parseSpeed("10X")).isEqualTo(10);
        assertThat(ReplayOptions.parseSpeed("2.5")).isEqualTo(2.5);
        assertThat(ReplayOptions.parseSpeed("max")).isZero();
        for (String bad : new String[] {"0x", "-1x", "fast", "NaNx", "1e9x"}) {
            assertThatThrownBy(() -> ReplayOptions.parseSpeed(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1x, 10x or max");
        }
    }

    @Test
    void theCommandLineTakesReplaySpeedAndFrom() throws Exception {
        MassiveEmulator e = EmulatorMain.parse(new String[] {"--replay", fixture(), "--speed", "10x", "--from", "9:30"},
                OUT);
        assertThat(e).isNotNull();
        assertThatThrownBy(() -> EmulatorMain.parse(new String[] {"--speed", "10x"}, OUT))
                .hasMessage("--speed and --from need --replay <dir>");
        assertThatThrownBy(() -> EmulatorMain.parse(new String[] {"--replay", "/nonexistent/dir"}, OUT))
                .hasMessageContaining("no capture files");
        assertThatThrownBy(() -> EmulatorMain.parse(new String[] {"--replay", fixture(), "--from", "25:99"}, OUT))
                .hasMessageContaining("not a time of day like 09:30");
    }
}
