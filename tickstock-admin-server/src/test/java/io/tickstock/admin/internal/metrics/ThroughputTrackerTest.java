package io.tickstock.admin.internal.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ThroughputTrackerTest {
    private final AtomicLong nanos = new AtomicLong();
    private final ThroughputTracker t = new ThroughputTracker(Duration.ofSeconds(5), nanos::get);

    private void at(long seconds, long count) {
        nanos.set(Duration.ofSeconds(seconds).toNanos());
        t.sample("c1", count);
    }

    @Test
    void rateIsOverTheRecentWindowNotTheLifetime() {
        at(0, 0);
        for (int s = 1; s <= 60; s++) {
            at(s, s * 1000L);      // a busy minute: 1000/s
        }
        for (int s = 61; s <= 70; s++) {
            at(s, 60_000 + (s - 60) * 10L); // then 10/s
        }
        assertThat(t.rate("c1", 60_100, -1)).isEqualTo(10.0);
        assertThat(t.history("c1", 3)).containsExactly(10.0, 10.0, 10.0);
    }

    @Test
    void fallsBackBeforeTheFirstSample() {
        assertThat(t.rate("unknown", 5, 2.5)).isEqualTo(2.5);
        assertThat(t.history("unknown", 10)).isEmpty();
    }
}
