package io.tickstock.emulator;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompressedTradingDayTest {
    /** A real clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private volatile long millis;

        ManualClock(long millis) {
            this.millis = millis;
        }

        void advance(Duration d) {
            millis += d.toMillis();
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static LocalDateTime eastern(Clock c) {
        return c.instant().atZone(MarketSession.EASTERN).toLocalDateTime();
    }

    @Test
    void aDayOfSixteenMarketHoursPassesInTheGivenRealTimeThroughEverySession() {
        ManualClock real = new ManualClock(1_000_000);
        LocalDate friday = LocalDate.of(2026, 11, 27);
        CompressedTradingDay day = CompressedTradingDay.of(friday, Duration.ofSeconds(16), real);
        assertThat(day.speed()).isEqualTo(3_600.0);

        assertThat(eastern(day)).isEqualTo(friday.atTime(4, 0));
        assertThat(day.session()).isEqualTo(MarketSession.PRE_MARKET);
        real.advance(Duration.ofMillis(5_500)); // 5.5 market hours
        assertThat(eastern(day)).isEqualTo(friday.atTime(9, 30));
        assertThat(day.session()).isEqualTo(MarketSession.REGULAR);
        real.advance(Duration.ofMillis(6_500));
        assertThat(eastern(day)).isEqualTo(friday.atTime(16, 0));
        assertThat(day.session()).isEqualTo(MarketSession.AFTER_HOURS);
        real.advance(Duration.ofMillis(3_999));
        assertThat(eastern(day)).isEqualTo(friday.atTime(19, 59, 56, 400_000_000));
        assertThat(day.dayIndex()).isZero();

        real.advance(Duration.ofMillis(1)); // Friday ends: the next trading day is Monday
        assertThat(eastern(day)).isEqualTo(LocalDate.of(2026, 11, 30).atTime(4, 0));
        assertThat(day.tradingDate()).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(day.dayIndex()).isEqualTo(1);
    }

    @Test
    void startNextDayJumpsToFourOClockOfTheNextWeekday() {
        ManualClock real = new ManualClock(0);
        CompressedTradingDay day = CompressedTradingDay.of(LocalDate.of(2026, 11, 28), Duration.ofMinutes(1), real);
        assertThat(day.tradingDate()).isEqualTo(LocalDate.of(2026, 11, 30)); // a Saturday start moves to Monday
        real.advance(Duration.ofSeconds(20));
        assertThat(day.startNextDay()).isEqualTo(LocalDate.of(2026, 12, 1));
        assertThat(eastern(day)).isEqualTo(LocalDate.of(2026, 12, 1).atTime(4, 0));
        for (int i = 0; i < 4; i++) {
            day.startNextDay();
        }
        assertThat(day.tradingDate()).isEqualTo(LocalDate.of(2026, 12, 7)); // Wed, Thu, Fri, then Monday
        assertThat(day.dayIndex()).isEqualTo(5);
        real.advance(Duration.ofSeconds(30));
        assertThat(eastern(day)).isEqualTo(LocalDate.of(2026, 12, 7).atTime(12, 0));
    }

    @Test
    void aDayShorterThanATenthOfASecondIsRefused() {
        assertThatThrownBy(() -> CompressedTradingDay.of(LocalDate.of(2026, 12, 1), Duration.ofMillis(99),
                Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100 ms");
    }
}
