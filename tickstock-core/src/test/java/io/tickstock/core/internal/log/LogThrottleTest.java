package io.tickstock.core.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1), now::get);

    @Test
    void firstLineGoesThroughAndRepeatsWithinTheIntervalAreCounted() {
        assertThat(throttle.tryAcquire()).isZero();
        for (int i = 0; i < 1_000; i++) {
            assertThat(throttle.tryAcquire()).isEqualTo(-1);
        }
        assertThat(throttle.suppressed()).isEqualTo(1_000);
    }

    @Test
    void nextLineAfterTheIntervalReportsHowManyWereSkipped() {
        throttle.tryAcquire();
        throttle.tryAcquire();
        throttle.tryAcquire();
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(throttle.tryAcquire()).isEqualTo(-1);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(throttle.tryAcquire()).isEqualTo(3);
        assertThat(throttle.suppressed()).isZero();
        assertThat(throttle.tryAcquire()).isEqualTo(-1);
    }
}
