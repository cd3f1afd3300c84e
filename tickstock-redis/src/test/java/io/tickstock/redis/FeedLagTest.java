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
    void eachWindowStartsAfreshAndOnlyConnectionsThatReadCount() {
        lag.record("connection_1", 1);
        lag.record("connection_2", 10_000);
        assertThat(lag.closeWindow()).isEqualTo(10_000);
        lag.record("connection_1", 5); // connection_2 is paused or quiet in this window
        assertThat(lag.closeWindow()).isEqualTo(5);
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
