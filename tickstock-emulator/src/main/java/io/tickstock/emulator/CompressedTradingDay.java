package io.tickstock.emulator;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Market time for tests: whole trading days (pre-market 04:00, regular session 09:30–16:00, after
 * hours until 20:00 US/Eastern) squeezed into {@code dayLength} of real time each, one weekday
 * after the other, skipping nights and weekends. Give it to
 * {@link MassiveEmulator.Builder#clock(Clock)}: every event's timestamp comes from it, and when it
 * reaches the next trading date every ticker's {@code q} starts again from a small value, as on
 * the real feed.
 *
 * <p>The real time behind it is another {@link Clock}, the system clock by default; a test may hand
 * in one it moves itself. {@link #startNextDay()} jumps to the next trading day at once. Safe from
 * any thread.
 */
public final class CompressedTradingDay extends Clock {
    private static final long MARKET_DAY_MILLIS = Duration.between(MarketSession.DAY_START,
            MarketSession.DAY_END).toMillis();
    private final Clock real;
    private final LocalDate firstDay;
    private final long dayLengthMillis;
    private final long realStart;
    /** Real milliseconds skipped by {@link #startNextDay()}. */
    private final AtomicLong skipped = new AtomicLong();

    private CompressedTradingDay(LocalDate firstDay, Duration dayLength, Clock real) {
        if (dayLength.toMillis() < 100) {
            throw new IllegalArgumentException("a compressed trading day lasts at least 100 ms, not " + dayLength);
        }
        this.real = real;
        this.firstDay = weekdayOnOrAfter(firstDay);
        this.dayLengthMillis = dayLength.toMillis();
        this.realStart = real.millis();
    }

    /**
     * Trading days of {@code dayLength} real time each, the first one starting now at 04:00
     * US/Eastern of {@code firstDay} (or the next weekday).
     */
    public static CompressedTradingDay of(LocalDate firstDay, Duration dayLength, Clock real) {
        return new CompressedTradingDay(firstDay, dayLength, real);
    }

    /** Trading days of {@code dayLength} each on the system clock, starting with today's (US/Eastern) date. */
    public static CompressedTradingDay startingToday(Duration dayLength) {
        Clock system = Clock.systemUTC();
        return new CompressedTradingDay(LocalDate.now(system.withZone(MarketSession.EASTERN)), dayLength, system);
    }

    /** How many market milliseconds pass per real millisecond. */
    public double speed() {
        return (double) MARKET_DAY_MILLIS / dayLengthMillis;
    }

    /** Real time one trading day (04:00–20:00 US/Eastern) lasts. */
    public Duration dayLength() {
        return Duration.ofMillis(dayLengthMillis);
    }

    /** 0 during the first trading day, then 1, 2 … */
    public long dayIndex() {
        return elapsed() / dayLengthMillis;
    }

    /** The trading date (US/Eastern) the clock is in now. */
    public LocalDate tradingDate() {
        return plusWeekdays(firstDay, dayIndex());
    }

    /** The session the clock is in now (never {@link MarketSession#CLOSED}). */
    public MarketSession session() {
        return MarketSession.at(instant());
    }

    /** Jumps to 04:00 of the next trading day now; returns that day's date. */
    public LocalDate startNextDay() {
        while (true) {
            long e = elapsed();
            long toNext = dayLengthMillis - Math.floorMod(e, dayLengthMillis);
            long before = skipped.get();
            if (skipped.compareAndSet(before, before + toNext)) {
                return plusWeekdays(firstDay, (e + toNext) / dayLengthMillis);
            }
        }
    }

    @Override
    public long millis() {
        long e = elapsed();
        long day = e / dayLengthMillis;
        long into = Math.floorMod(e, dayLengthMillis) * MARKET_DAY_MILLIS / dayLengthMillis;
        LocalDate date = plusWeekdays(firstDay, day);
        return date.atTime(MarketSession.DAY_START).atZone(MarketSession.EASTERN).toInstant().toEpochMilli() + into;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return MarketSession.EASTERN;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("market time is defined in US/Eastern");
    }

    private long elapsed() {
        return Math.max(0, real.millis() - realStart) + skipped.get();
    }

    private static LocalDate weekdayOnOrAfter(LocalDate d) {
        while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
            d = d.plusDays(1);
        }
        return d;
    }

    private static LocalDate plusWeekdays(LocalDate d, long n) {
        LocalDate out = d;
        long whole = n / 5;
        out = out.plusWeeks(whole);
        for (long i = 0; i < n % 5; i++) {
            out = weekdayOnOrAfter(out.plusDays(1));
        }
        return out;
    }
}
