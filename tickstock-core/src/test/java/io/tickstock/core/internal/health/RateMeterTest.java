package io.tickstock.core.internal.health;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateMeterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void rateIsOverTheRecentWindowNotTheLifetime() {
        RateMeter m = new RateMeter(3);
        assertThat(m.rate()).isZero();
        m.sample(0, 0);
        m.sample(1_000, SECOND);
        assertThat(m.rate()).isEqualTo(1_000.0);
        m.sample(1_000, 2 * SECOND);
        assertThat(m.rate()).isEqualTo(500.0);
        m.sample(1_000, 3 * SECOND); // the burst has left the window
        assertThat(m.rate()).isZero();
        m.sample(1_010, 4 * SECOND);
        assertThat(m.rate()).isEqualTo(5.0);
    }
}
