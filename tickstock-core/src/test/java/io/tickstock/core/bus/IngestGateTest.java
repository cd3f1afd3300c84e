package io.tickstock.core.bus;

import io.tickstock.core.resources.TickStockResources;
import io.tickstock.core.testing.ManualTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class IngestGateTest {
    private final ManualTime time = new ManualTime();
    private final TickStockResources resources = time.resources();
    private final AtomicInteger resumed = new AtomicInteger();

    private IngestGate gate(Duration maxPause) {
        IngestGate g = new IngestGate(maxPause, resources.scheduler(), resources::nanoTime);
        g.addResumeListener(resumed::incrementAndGet);
        return g;
    }

    @Test
    void aHoldClosesTheGateUntilTheHolderReleasesItAndTheFeedsAreToldOnce() {
        IngestGate g = gate(Duration.ofSeconds(1));
        assertThat(g.isOpen()).isTrue();
        g.hold();
        g.hold(); // already held: one hold
        assertThat(g.isOpen()).isFalse();
        time.advance(Duration.ofMillis(300));
        assertThat(resumed).hasValue(0);
        g.release();
        g.release(); // already open: nobody is told again
        assertThat(g.isOpen()).isTrue();
        assertThat(resumed).hasValue(1);
        assertThat(g.holds()).isEqualTo(1);
        assertThat(g.expired()).isZero();
        assertThat(g.heldTotal()).isEqualTo(Duration.ofMillis(300));
        assertThat(time.queued()).isZero(); // the expiry was cancelled
    }

    @Test
    void aHoldNeverLastsLongerThanTheMaximumPauseAndAfterItHoldsAreIgnoredUntilTheNextRelease() {
        IngestGate g = gate(Duration.ofSeconds(1));
        g.hold();
        time.advance(Duration.ofMillis(999));
        assertThat(g.isOpen()).isFalse();
        time.advance(Duration.ofMillis(1));
        assertThat(g.isOpen()).isTrue();
        assertThat(resumed).hasValue(1);
        assertThat(g.expired()).isEqualTo(1);

        g.hold(); // the holder has not drained: the feeds read on and it drops instead
        assertThat(g.isOpen()).isTrue();
        assertThat(g.holds()).isEqualTo(1);

        g.release(); // drained: holds work again
        assertThat(resumed).hasValue(1);
        g.hold();
        assertThat(g.isOpen()).isFalse();
        assertThat(g.holds()).isEqualTo(2);
        assertThat(g.health()).containsEntry("held", true).containsEntry("holds", 2L).containsEntry("expired", 1L)
                .containsEntry("held_ms", 1000L).containsEntry("max_pause_ms", 1000L);
    }

    @Test
    void theExpiryOfAReleasedHoldDoesNotCutALaterHoldShort() {
        IngestGate g = gate(Duration.ofSeconds(1));
        g.hold();
        time.advance(Duration.ofMillis(600));
        g.release();
        g.hold();
        time.advance(Duration.ofMillis(600)); // the first hold's deadline has passed, the second's has not
        assertThat(g.isOpen()).isFalse();
        time.advance(Duration.ofMillis(400));
        assertThat(g.isOpen()).isTrue();
        assertThat(g.expired()).isEqualTo(1);
    }

    @Test
    void aZeroMaximumPauseNeverHolds() {
        IngestGate g = gate(Duration.ZERO);
        g.hold();
        assertThat(g.isOpen()).isTrue();
        assertThat(g.holds()).isZero();
        assertThat(time.queued()).isZero();
    }

    @Test
    void aRemovedListenerIsNotToldAnyMore() {
        IngestGate g = new IngestGate(Duration.ofSeconds(1), resources.scheduler(), resources::nanoTime);
        Runnable listener = resumed::incrementAndGet;
        g.addResumeListener(listener);
        g.hold();
        g.release();
        g.removeResumeListener(listener);
        g.hold();
        g.release();
        assertThat(resumed).hasValue(1);
    }

    @Test
    void aListenerThatFailsIsCountedAndTheOthersAreStillTold() {
        IngestGate g = new IngestGate(Duration.ofSeconds(1), resources.scheduler(), resources::nanoTime);
        g.addResumeListener(() -> {
            throw new java.util.concurrent.RejectedExecutionException("event loop shut down");
        });
        g.addResumeListener(resumed::incrementAndGet);
        g.hold();
        g.release();
        assertThat(resumed).hasValue(1);
        assertThat(g.health()).containsEntry("resume_errors", 1L);
    }

    @Test
    void aHoldOnAShutDownSchedulerNeverClosesTheGate() {
        java.util.concurrent.ScheduledExecutorService stopped = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        stopped.shutdown();
        IngestGate g = new IngestGate(Duration.ofSeconds(1), stopped, System::nanoTime);
        g.addResumeListener(resumed::incrementAndGet);
        g.hold();
        assertThat(g.isOpen()).isTrue();
        assertThat(resumed).hasValue(1);
    }
}
