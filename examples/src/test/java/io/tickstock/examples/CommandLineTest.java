package io.tickstock.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {
    private static final String USAGE = CommandLine.usage(EmbeddedFeedExample.class, StopAfter.SYNOPSIS);

    @Test
    void theUsageLineNamesTheRealCommand() {
        assertThat(USAGE).isEqualTo("Usage: java -cp examples/target/tickstock-examples-all.jar "
                + "io.tickstock.examples.EmbeddedFeedExample [--ticks N] [--seconds T] [--help]");
    }

    @Test
    void stopAfterAcceptsOnlyItsOptionsWithGoodValues() {
        assertThat(StopAfter.parse(new String[] {"--ticks", "5", "--seconds", "1.5"})).hasToString("after 5 ticks or 1.5 s");
        assertThat(StopAfter.parse(new String[0])).hasToString("until Ctrl-C");
        assertThatThrownBy(() -> StopAfter.parse(new String[] {"--tick", "5"}))
                .isInstanceOf(CommandLine.UsageException.class).hasMessage("Unknown argument: --tick");
        assertThatThrownBy(() -> StopAfter.parse(new String[] {"5"}))
                .isInstanceOf(CommandLine.UsageException.class).hasMessage("Unknown argument: 5");
        assertThatThrownBy(() -> StopAfter.parse(new String[] {"--ticks"}))
                .isInstanceOf(CommandLine.UsageException.class).hasMessage("--ticks needs a value");
        assertThatThrownBy(() -> StopAfter.parse(new String[] {"--ticks", "0"}))
                .isInstanceOf(CommandLine.UsageException.class)
                .hasMessage("--ticks needs a positive whole number, not '0'");
        assertThatThrownBy(() -> StopAfter.parse(new String[] {"--ticks", "many"}))
                .isInstanceOf(CommandLine.UsageException.class);
        for (String bad : new String[] {"-1", "NaN", "Infinity", "1e300", "soon"}) {
            assertThatThrownBy(() -> StopAfter.parse(new String[] {"--seconds", bad})).as(bad)
                    .isInstanceOf(CommandLine.UsageException.class)
                    .hasMessage("--seconds needs a positive number of seconds, not '" + bad + "'");
        }
        assertThatThrownBy(() -> StopAfter.parse(new String[] {"--ticks", "5", "--help"}))
                .isInstanceOf(CommandLine.HelpRequested.class);
        assertThatThrownBy(() -> StopAfter.parse(new String[] {"-h"})).isInstanceOf(CommandLine.HelpRequested.class);
    }

    @Test
    void aBadCommandLineExits2WithTheReasonAndTheUsageOnStderrAndRunsNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicBoolean ran = new AtomicBoolean();
        int code = CommandLine.run(USAGE, () -> {
            StopAfter.parse(new String[] {"--bogus"});
            ran.set(true);
        }, print(out), print(err));
        assertThat(code).isEqualTo(2);
        assertThat(ran).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly("Unknown argument: --bogus", USAGE);
    }

    @Test
    void helpPrintsTheUsageOnStdoutAndExits0() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CommandLine.run(USAGE, () -> StopAfter.parse(new String[] {"--help"}), print(out), print(err));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theCustomUniverseExampleTakesAtMostAFileAndAKey() {
        CustomUniverseExample.checkArguments(new String[] {"a.csv", "mine"});
        assertThatThrownBy(() -> CustomUniverseExample.checkArguments(new String[] {"a.csv", "mine", "more"}))
                .isInstanceOf(CommandLine.UsageException.class).hasMessage("Too many arguments: a.csv mine more");
        assertThatThrownBy(() -> CustomUniverseExample.checkArguments(new String[] {"--seconds", "3"}))
                .isInstanceOf(CommandLine.UsageException.class).hasMessage("Unknown argument: --seconds");
        assertThatThrownBy(() -> CustomUniverseExample.checkArguments(new String[] {"--help"}))
                .isInstanceOf(CommandLine.HelpRequested.class);
    }

    @Test
    void theCaptureReplayExampleTakesADirectoryAndSecondsOnly() {
        CaptureReplayExample.Arguments a = CaptureReplayExample.Arguments.parse(new String[] {"/tmp/cap", "--seconds", "2.5"});
        assertThat(a.dir()).isEqualTo(java.nio.file.Path.of("/tmp/cap"));
        assertThat(a.recordFor()).isEqualTo(Duration.ofMillis(2500));
        assertThat(CaptureReplayExample.Arguments.parse(new String[0]).recordFor()).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> CaptureReplayExample.Arguments.parse(new String[] {"/tmp/cap", "--speed", "10x"}))
                .isInstanceOf(CommandLine.UsageException.class).hasMessage("Unknown argument: --speed");
        assertThatThrownBy(() -> CaptureReplayExample.Arguments.parse(new String[] {"--seconds", "soon"}))
                .isInstanceOf(CommandLine.UsageException.class)
                .hasMessage("--seconds needs a positive number of seconds, not 'soon'");
        assertThatThrownBy(() -> CaptureReplayExample.Arguments.parse(new String[] {"--help"}))
                .isInstanceOf(CommandLine.HelpRequested.class);
    }

    @Test
    void theLastValueConsumerRejectsUnknownArgumentsBeforeConnecting() {
        io.tickstock.core.config.Settings none = io.tickstock.core.config.Settings.of(java.util.Map.of());
        assertThatThrownBy(() -> LastValueConsumerExample.run(none, new String[] {"AAPL", "--bogus"}, System.out))
                .isInstanceOf(CommandLine.UsageException.class).hasMessage("Unknown argument: --bogus");
        assertThatThrownBy(() -> LastValueConsumerExample.run(none, new String[] {"AAPL", "MSFT"}, System.out))
                .isInstanceOf(CommandLine.UsageException.class).hasMessage("Unknown argument: MSFT");
    }

    @Test
    void handledCountsUpToTheLimitOnly() {
        StopAfter stop = new StopAfter(2, Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            stop.tick(() -> { });
        }
        assertThat(stop.handled()).isEqualTo(2);
        assertThat(stop.ticks()).isEqualTo(5);
    }

    private static PrintStream print(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }
}
