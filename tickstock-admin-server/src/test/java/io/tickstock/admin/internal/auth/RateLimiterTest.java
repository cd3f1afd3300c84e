package io.tickstock.admin.internal.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void allowsABurstThenRefillsSmoothly() {
        RateLimiter l = new RateLimiter(RateLimit.parse("3/1m"), 100, nanos::get);
        assertThat(l.tryAcquire("a").allowed()).isTrue();
        assertThat(l.tryAcquire("a").allowed()).isTrue();
        assertThat(l.tryAcquire("a").allowed()).isTrue();
        RateLimiter.Decision d = l.tryAcquire("a");
        assertThat(d.allowed()).isFalse();
        assertThat(d.retryAfterSeconds()).isEqualTo(20);
        assertThat(l.tryAcquire("b").allowed()).isTrue(); // per client
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(l.tryAcquire("a").allowed()).isTrue();
        assertThat(l.tryAcquire("a").allowed()).isFalse();
    }

    @Test
    void manyClientsShareAnOverflowBucketInsteadOfGrowingWithoutBound() {
        RateLimiter l = new RateLimiter(RateLimit.parse("1/1h"), 2, nanos::get);
        assertThat(l.tryAcquire("a").allowed()).isTrue();
        assertThat(l.tryAcquire("b").allowed()).isTrue();
        assertThat(l.tryAcquire("c").allowed()).isTrue();  // overflow bucket
        assertThat(l.tryAcquire("d").allowed()).isFalse(); // shares it
    }

    @Test
    void aRefundGivesBackOneTokenButNeverOverfillsTheBucket() {
        RateLimiter l = new RateLimiter(RateLimit.parse("2/1h"), 100, nanos::get);
        l.refund("a"); // unknown client: nothing to give back
        assertThat(l.tryAcquire("a").allowed()).isTrue();
        l.refund("a");
        l.refund("a");
        assertThat(l.tryAcquire("a").allowed()).isTrue();
        assertThat(l.tryAcquire("a").allowed()).isTrue();
        assertThat(l.tryAcquire("a").allowed()).isFalse();
    }

    @Test
    void parsesCountPerDuration() {
        assertThat(RateLimit.parse("10/1m")).isEqualTo(new RateLimit(10, Duration.ofMinutes(1)));
        assertThat(RateLimit.parse("5/30s").toString()).isEqualTo("5/30s");
        assertThatThrownBy(() -> RateLimit.parse("0/1m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.parse("ten")).isInstanceOf(IllegalArgumentException.class);
    }
}
