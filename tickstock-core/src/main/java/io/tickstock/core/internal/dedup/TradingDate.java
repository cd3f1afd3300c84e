package io.tickstock.core.internal.dedup;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * The trading date of an event time: its calendar date in US/Eastern. US stock sessions (pre-market
 * 04:00 to after hours 20:00) never cross midnight there, and the feed's per-ticker sequence
 * numbers restart with every session, so a new date means a new sequence.
 */
final class TradingDate {
    static final ZoneId ZONE = ZoneId.of("America/New_York");
    private static final ZoneRules RULES = ZONE.getRules();
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private TradingDate() {
    }

    /** The US/Eastern date of {@code epochMillis}, as an epoch day. */
    static long of(long epochMillis) {
        long offsetMillis = RULES.getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds() * 1000L;
        // day and time of day apart, so that no sum overflows at the ends of the long range
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        long timeOfDay = Math.floorMod(epochMillis, MILLIS_PER_DAY) + offsetMillis;
        return timeOfDay < 0 ? day - 1 : timeOfDay >= MILLIS_PER_DAY ? day + 1 : day;
    }

    /**
     * The first millisecond of the US/Eastern date {@code epochDay}; saturated at the ends of the
     * {@code long} range, so that an absurd event time costs nothing worse than a window of its own.
     */
    static long startMillis(long epochDay) {
        try {
            return LocalDate.ofEpochDay(epochDay).atStartOfDay(ZONE).toInstant().toEpochMilli();
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return epochDay < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
