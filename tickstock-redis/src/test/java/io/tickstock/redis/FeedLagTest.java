package io.tickstock.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FeedLagTest {
    private final FeedLag lag = new FeedLag();

    @Test
    void aWindowWithoutTicksHasNoSample() {
        assertThat(lag.closeWindow()).isEqualTo(FeedLag.NO_SAMPLE);
    }

    @Test
    void theConnectionFurthestBehindDecidesEvenBesideFreshOnes() {
        lag.record("connection_1", 3);
        lag.record("connection_1", 1);
        lag.record("connection_2", 12_000); // its backlog shows in every tick it reads
        lag.record("connection_2", 10_000);
        lag.record("connection_3", 40_000); // a late report; the connection's fresh ticks count
        lag.record("connection_3", 2);
        assertThat(lag.closeWindow()).isEqualTo(10_000);
    }

    @Test
    void aConnectionWithoutASampleInAWindowKeepsItsLastDelayForAFewWindowsThenNoLongerCounts() {
        lag.record("connection_1", 1);
        lag.record("connection_2", 10_000);
        assertThat(lag.closeWindow()).isEqualTo(10_000);
        for (int w = 1; w <= FeedLag.CARRIED_WINDOWS; w++) {
            lag.record("connection_1", 5); // sampling missed connection_2 in these windows
            assertThat(lag.closeWindow()).as("window %d", w).isEqualTo(10_000);
        }
        lag.record("connection_1", 5);
        assertThat(lag.closeWindow()).isEqualTo(5); // quiet too long: connection_1 alone decides
        lag.record("connection_2", 300); // it reads again, caught up
        assertThat(lag.closeWindow()).isEqualTo(300);
    }

    @Test
    void aWindowsMinimumReplacesTheLastOneAtOnce() {
        lag.record("connection_1", 10_000);
        assertThat(lag.closeWindow()).isEqualTo(10_000);
        lag.record("connection_1", 20);
        assertThat(lag.closeWindow()).isEqualTo(20);
    }

    @Test
    void withNothingRecordedForLongerThanTheCarriedWindowsThereIsNoSample() {
        lag.record("connection_1", 7);
        for (int w = 0; w <= FeedLag.CARRIED_WINDOWS; w++) {
            assertThat(lag.closeWindow()).isEqualTo(7);
        }
        assertThat(lag.closeWindow()).isEqualTo(FeedLag.NO_SAMPLE);
    }

    @Test
    void aClockBehindTheExchangesReadsAsNoDelay() {
        lag.record("connection_1", -250);
        assertThat(lag.closeWindow()).isZero();
    }

    @Test
    void connectionsBeyondTheSlotsAndTicksWithoutOneShareASlot() {
        for (int i = 0; i < FeedLag.SLOTS; i++) {
            lag.record("c" + i, 1);
        }
        lag.record("c-extra-1", 7_000);
        lag.record("c-extra-2", 3);
        lag.record(null, 9);
        assertThat(lag.closeWindow()).isEqualTo(3); // the shared slot's minimum
        lag.record("c-extra-3", 8_000);
        lag.record("c0", 20);
        assertThat(lag.closeWindow()).isEqualTo(8_000);
    }
}
