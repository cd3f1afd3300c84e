package io.tickstock.emulator;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/** The US stock market's sessions (US/Eastern), which the emulator's timestamps move through. */
public enum MarketSession {
    /** 04:00–09:30. */
    PRE_MARKET,
    /** 09:30–16:00. */
    REGULAR,
    /** 16:00–20:00. */
    AFTER_HOURS,
    /** 20:00–04:00 and weekends: the real feed is nearly silent. */
    CLOSED;

    /** US/Eastern, where the sessions and the trading date are defined. */
    public static final ZoneId EASTERN = ZoneId.of("America/New_York");
    /** Start of pre-market, the first moment of a trading day's data. */
    public static final LocalTime DAY_START = LocalTime.of(4, 0);
    /** End of after hours. */
    public static final LocalTime DAY_END = LocalTime.of(20, 0);
    static final LocalTime REGULAR_OPEN = LocalTime.of(9, 30);
    static final LocalTime REGULAR_CLOSE = LocalTime.of(16, 0);

    /** The session at {@code instant}. */
    public static MarketSession at(Instant instant) {
        var t = instant.atZone(EASTERN);
        switch (t.getDayOfWeek()) {
            case SATURDAY, SUNDAY -> {
                return CLOSED;
            }
            default -> {
                LocalTime time = t.toLocalTime();
                if (time.isBefore(DAY_START) || !time.isBefore(DAY_END)) {
                    return CLOSED;
                }
                if (time.isBefore(REGULAR_OPEN)) {
                    return PRE_MARKET;
                }
                return time.isBefore(REGULAR_CLOSE) ? REGULAR : AFTER_HOURS;
            }
        }
    }
}
