package io.tickstock.core.dedup;

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
        return Math.floorDiv(epochMillis + offsetMillis, MILLIS_PER_DAY);
    }

    /** The first millisecond of the US/Eastern date {@code epochDay}. */
    static long startMillis(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(ZONE).toInstant().toEpochMilli();
    }
}
