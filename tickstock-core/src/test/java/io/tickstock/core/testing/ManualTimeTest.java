package io.tickstock.core.testing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ManualTimeTest {
    @Test
    void tasksRunOnlyWhenTheTestMovesTimeInDueOrder() {
        ManualTime time = new ManualTime(Instant.parse("2026-01-05T14:30:00Z"));
        List<String> ran = new ArrayList<>();
        time.scheduler().schedule(() -> ran.add("b@2s " + time.now()), 2, TimeUnit.SECONDS);
        time.scheduler().schedule(() -> ran.add("a@1s " + time.now()), 1, TimeUnit.SECONDS);
        time.scheduler().execute(() -> ran.add("now"));
        assertThat(ran).isEmpty();

        assertThat(time.runPending()).isEqualTo(1);
        assertThat(ran).containsExactly("now");

        time.advance(Duration.ofMillis(1500));
        assertThat(ran).containsExactly("now", "a@1s 2026-01-05T14:30:01Z");
        assertThat(time.clock().instant()).isEqualTo(Instant.parse("2026-01-05T14:30:01.500Z"));

        time.advance(Duration.ofSeconds(10));
        assertThat(ran).containsExactly("now", "a@1s 2026-01-05T14:30:01Z", "b@2s 2026-01-05T14:30:02Z");
        assertThat(time.queued()).isZero();
    }

    @Test
    void periodicTasksRepeatAndStopWhenCancelled() {
        ManualTime time = new ManualTime();
        List<Instant> ticks = new ArrayList<>();
        ScheduledFuture<?> f = time.scheduler().scheduleAtFixedRate(() -> ticks.add(time.now()), 1, 1, TimeUnit.SECONDS);
        time.advance(Duration.ofMillis(3500));
        assertThat(ticks).hasSize(3);
        f.cancel(false);
        time.advance(Duration.ofSeconds(5));
        assertThat(ticks).hasSize(3);
        assertThat(time.queued()).isZero();
    }

    @Test
    void resourcesMeasureIntervalsOnTheManualClock() {
        ManualTime time = new ManualTime();
        var resources = time.resources();
        long before = resources.nanoTime();
        time.advance(Duration.ofSeconds(7));
        assertThat(resources.nanoTime() - before).isEqualTo(Duration.ofSeconds(7).toNanos());
        resources.close();
        assertThat(time.scheduler().isShutdown()).isFalse(); // borrowed, not owned
    }
}
