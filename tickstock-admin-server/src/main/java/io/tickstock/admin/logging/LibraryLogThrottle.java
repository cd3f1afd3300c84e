package io.tickstock.admin.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Caps what the libraries' own loggers (Lettuce, Netty by default) may write: at most
 * {@code maxPerMinute} lines per logger per minute. The rest is counted and summarised in one line
 * when the logger next speaks after its minute, so a fault that makes a library complain on every
 * command cannot fill a disk. Our own loggers are not touched: they summarise their repeats themselves.
 *
 * <p>Configured in logback.xml as a {@code <turboFilter>}.
 */
public final class LibraryLogThrottle extends TurboFilter {
    private static final int MAX_LOGGERS = 1_024; // logger names come from code, but stay bounded anyway
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private volatile List<String> prefixes = List.of("io.lettuce", "io.netty");
    private volatile int maxPerMinute = 10;

    public LibraryLogThrottle() {
        this(System::nanoTime);
    }

    LibraryLogThrottle(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Comma-separated logger name prefixes to throttle (logback property {@code <prefixes>}). */
    public void setPrefixes(String csv) {
        prefixes = List.of(csv.trim().split("\\s*,\\s*"));
    }

    /** Lines each throttled logger may write per minute (logback property {@code <maxPerMinute>}). */
    public void setMaxPerMinute(int max) {
        maxPerMinute = Math.max(1, max);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // isXxxEnabled() checks (no format), lines below the logger's level and our own loggers pass
        // untouched (logger.isEnabledFor would call this filter again)
        if (format == null && t == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())
                || !throttled(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        Window w = windows.get(logger.getName());
        if (w == null) {
            if (windows.size() >= MAX_LOGGERS) {
                return FilterReply.NEUTRAL;
            }
            w = windows.computeIfAbsent(logger.getName(), n -> new Window(nanoClock.getAsLong()));
        }
        long now = nanoClock.getAsLong();
        long suppressedInLastWindow = w.roll(now);
        if (suppressedInLastWindow > 0) {
            LoggerFactory.getLogger(LibraryLogThrottle.class).warn(
                    "{} further log lines from {} were suppressed in the last minute", suppressedInLastWindow,
                    logger.getName());
        }
        if (w.count.incrementAndGet() <= maxPerMinute) {
            return FilterReply.NEUTRAL;
        }
        w.suppressed.incrementAndGet();
        return FilterReply.DENY;
    }

    private boolean throttled(String name) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** One logger's current minute. */
    private static final class Window {
        final AtomicLong start;
        final AtomicLong count = new AtomicLong();
        final AtomicLong suppressed = new AtomicLong();

        Window(long now) {
            start = new AtomicLong(now);
        }

        /** Starts a new minute when the current one is over; returns what the old one suppressed. */
        long roll(long now) {
            long s = start.get();
            if (now - s >= MINUTE && start.compareAndSet(s, now)) {
                count.set(0);
                return suppressed.getAndSet(0);
            }
            return 0;
        }
    }
}
