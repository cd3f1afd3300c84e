package io.tickstock.admin.internal.auth;

import io.tickstock.admin.support.CountingVerifier;
import io.tickstock.admin.support.TestClock;
import io.tickstock.core.config.Secret;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.tickstock.admin.internal.auth.CredentialCheck.Result.ACCEPTED;
import static io.tickstock.admin.internal.auth.CredentialCheck.Result.BUSY;
import static io.tickstock.admin.internal.auth.CredentialCheck.Result.LIMITED;
import static io.tickstock.admin.internal.auth.CredentialCheck.Result.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

class CredentialCheckTest {
    private final TestClock clock = new TestClock();
    private final AtomicLong nanos = new AtomicLong();
    private final CountingVerifier hasher = new CountingVerifier();
    private final UserDirectory users = new UserDirectory("admin", Optional.of(new Secret("builtin-pw")),
            Map.of("alice", new String[] {"admin", PasswordHasher.hash("alice-pw-1".toCharArray(), 1000)}), clock, hasher);
    private final CredentialCheck check = new CredentialCheck(users,
            new RateLimiter(RateLimit.parse("3/1m"), 100, nanos::get));

    @Test
    void aClientOutOfItsFailureBudgetIsRefusedBeforeAnyHashing() {
        assertThat(check.check("10.0.0.1", "alice", "guess-1").result()).isEqualTo(REJECTED);
        assertThat(check.check("10.0.0.1", "nobody", "guess-2").result()).isEqualTo(REJECTED);
        assertThat(check.check("10.0.0.1", "admin", "guess-3").result()).isEqualTo(REJECTED);
        assertThat(hasher.count()).isEqualTo(3);

        CredentialCheck.Outcome limited = check.check("10.0.0.1", "alice", "guess-4");
        assertThat(limited.result()).isEqualTo(LIMITED);
        assertThat(limited.retryAfterSeconds()).isEqualTo(20);
        // even the right password: the budget is checked first, and costs no hash
        assertThat(check.check("10.0.0.1", "alice", "alice-pw-1").result()).isEqualTo(LIMITED);
        for (int i = 0; i < 100; i++) {
            check.check("10.0.0.1", "alice", "guess-" + i);
        }
        assertThat(hasher.count()).isEqualTo(3);

        // another client has its own budget; the first one's refills with time
        assertThat(check.check("10.0.0.2", "alice", "alice-pw-1").result()).isEqualTo(ACCEPTED);
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(check.check("10.0.0.1", "alice", "alice-pw-1").principal()).isEqualTo(new Principal("alice", Role.ADMIN));
    }

    @Test
    void successesAreNeverChargedToTheBudget() {
        for (int i = 0; i < 10; i++) {
            assertThat(check.check("10.0.0.1", "admin", "builtin-pw").result()).isEqualTo(ACCEPTED);
        }
        assertThat(check.check("10.0.0.1", "admin", "wrong-1").result()).isEqualTo(REJECTED);
        assertThat(check.check("10.0.0.1", "admin", "builtin-pw").result()).isEqualTo(ACCEPTED);
        assertThat(check.check("10.0.0.1", "admin", "wrong-2").result()).isEqualTo(REJECTED);
        assertThat(check.check("10.0.0.1", "admin", "wrong-3").result()).isEqualTo(REJECTED);
        assertThat(check.check("10.0.0.1", "admin", "wrong-4").result()).isEqualTo(LIMITED);
        // one hash for the first success (then cached), one per wrong password
        assertThat(hasher.count()).isEqualTo(4);
    }

    @Test
    void checksBeyondTheConcurrencyCapAreRefusedUnhashedAndUncharged() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        PasswordVerifier slow = (pw, hash) -> {
            calls.incrementAndGet();
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return PasswordVerifier.PBKDF2.verify(pw, hash);
        };
        UserDirectory bounded = new UserDirectory("admin", Optional.empty(), Map.of("alice",
                new String[] {"admin", PasswordHasher.hash("alice-pw-1".toCharArray(), 1000)}), clock,
                new BoundedVerifier(slow, 1));
        CredentialCheck c = new CredentialCheck(bounded, new RateLimiter(RateLimit.parse("1/1m"), 100, nanos::get));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<CredentialCheck.Outcome> first = pool.submit(() -> c.check("10.0.0.1", "alice", "alice-pw-1"));
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            CredentialCheck.Outcome busy = c.check("10.0.0.2", "alice", "wrong");
            assertThat(busy.result()).isEqualTo(BUSY);
            assertThat(busy.retryAfterSeconds()).isEqualTo(1);
            assertThat(calls.get()).isEqualTo(1);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).result()).isEqualTo(ACCEPTED);
        } finally {
            pool.shutdownNow();
        }
        // the busy refusal was not charged to 10.0.0.2: its one failure is still there to spend
        assertThat(c.check("10.0.0.2", "alice", "wrong").result()).isEqualTo(REJECTED);
        assertThat(c.check("10.0.0.2", "alice", "wrong").result()).isEqualTo(LIMITED);
        assertThat(calls.get()).isEqualTo(2);
    }
}
