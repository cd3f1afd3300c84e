package io.tickstock.admin.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LibraryLogThrottleTest {
    private final AtomicLong now = new AtomicLong();
    private final LoggerContext ctx = new LoggerContext();
    private final LibraryLogThrottle throttle = new LibraryLogThrottle(now::get);

    {
        throttle.setMaxPerMinute(3);
    }

    @Test
    void aLibraryLoggerGetsItsQuotaPerMinuteAndNoMore() {
        Logger lettuce = ctx.getLogger("io.lettuce.core.protocol.CommandHandler");
        for (int i = 0; i < 3; i++) {
            assertThat(warn(lettuce)).isEqualTo(FilterReply.NEUTRAL);
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(warn(lettuce)).isEqualTo(FilterReply.DENY);
        }
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(warn(lettuce)).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void ourOwnLoggersAreNeverThrottled() {
        Logger ours = ctx.getLogger("io.tickstock.redis.RedisTickPublisher");
        for (int i = 0; i < 1_000; i++) {
            assertThat(warn(ours)).isEqualTo(FilterReply.NEUTRAL);
        }
    }

    @Test
    void eachLibraryLoggerHasItsOwnQuota() {
        Logger netty = ctx.getLogger("io.netty.channel.DefaultChannelPipeline");
        Logger lettuce = ctx.getLogger("io.lettuce.core.protocol.ConnectionWatchdog");
        for (int i = 0; i < 3; i++) {
            warn(netty);
        }
        assertThat(warn(netty)).isEqualTo(FilterReply.DENY);
        assertThat(warn(lettuce)).isEqualTo(FilterReply.NEUTRAL);
    }

    private FilterReply warn(Logger logger) {
        return throttle.decide(null, logger, Level.WARN, "boom {}", new Object[] {1}, null);
    }
}
