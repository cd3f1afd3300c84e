package io.tickstock.feed.massive.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReconnectPolicyTest {
    @Test
    void theCeilingDoublesUpToTheMaximum() {
        ReconnectPolicy top = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), -1, () -> 0.999999);
        long[] expected = {1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000};
        for (long e : expected) {
            assertThat(top.nextDelay().toMillis()).isBetween(e - 1, e);
        }
        ReconnectPolicy bottom = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), -1, () -> 0.0);
        for (int i = 0; i < 50; i++) {
            assertThat(bottom.nextDelay()).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void jitterSpreadsBetweenBaseAndCeiling() {
        ReconnectPolicy p = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), -1, () -> 0.5);
        p.nextDelay();
        p.nextDelay();
        assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(2_500)); // between 1 s and 4 s
    }

    @Test
    void retriesAreCountedAndResetAfterAStableSession() {
        ReconnectPolicy p = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2, () -> 0.0);
        assertThat(p.nextDelay()).isNotNull();
        assertThat(p.nextDelay()).isNotNull();
        assertThat(p.nextDelay()).isNull();
        assertThat(p.failures()).isEqualTo(2);
        p.reset();
        assertThat(p.nextDelay()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void zeroRetriesGivesUpAtOnce() {
        assertThat(new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(2), 0, () -> 0.0).nextDelay()).isNull();
    }
}
