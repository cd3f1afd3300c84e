package io.tickstock.admin.internal.auth;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import io.tickstock.admin.support.CountingVerifier;
import io.tickstock.admin.support.TestClock;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void authenticatesFileUsersWithTheirRoleAndTheBuiltInAdmin() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "# comment\n\nalice:viewer:" + PasswordHasher.hash("alice-pw-1".toCharArray(), 1000) + "\n");
        UserDirectory u = new UserDirectory("admin", Optional.of(new Secret("builtin-pw")), UserDirectory.readUsersFile(f),
                Clock.systemUTC());
        assertThat(u.authenticate("alice", "alice-pw-1")).contains(new Principal("alice", Role.VIEWER));
        assertThat(u.authenticate("alice", "alice-pw-1")).contains(new Principal("alice", Role.VIEWER)); // cached path
        assertThat(u.authenticate("alice", "wrong")).isEmpty();
        assertThat(u.authenticate("admin", "builtin-pw")).contains(new Principal("admin", Role.ADMIN));
        assertThat(u.authenticate("admin", "builtin-pX")).isEmpty();
        assertThat(u.authenticate("nobody", "x")).isEmpty();
        assertThat(u.authenticate(null, null)).isEmpty();
    }

    @Test
    void aBadLineFailsNamingTheLineNotTheHash() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "bob:admin:" + PasswordHasher.hash("x-12345678".toCharArray(), 1000) + "\ncarol:root:pbkdf2_sha256$1000$QUFBQUFBQUE=$QUFBQUFBQUFBQUFBQUFBQQ==\n");
        assertThatThrownBy(() -> UserDirectory.readUsersFile(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ADMIN_USERS_FILE").hasMessageContaining("line 2").hasMessageContaining("unknown role")
                .hasMessageNotContaining("QUFBQUFBQUE");
        Files.writeString(f, "dave-without-colons\n");
        assertThatThrownBy(() -> UserDirectory.readUsersFile(f)).hasMessageContaining("line 1");
        assertThatThrownBy(() -> UserDirectory.readUsersFile(dir.resolve("missing"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("readable file");
    }

    @Test
    void knownAndUnknownUsersCostOneCheckOfTheSameIterations() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "alice:viewer:" + PasswordHasher.hash("alice-pw-1".toCharArray(), 1000) + "\n"
                + "bob:admin:" + PasswordHasher.hash("bob-pw-123".toCharArray(), 2000) + "\n");
        CountingVerifier hasher = new CountingVerifier();
        UserDirectory u = new UserDirectory("admin", Optional.of(new Secret("builtin-pw")), UserDirectory.readUsersFile(f),
                Clock.systemUTC(), hasher);
        assertThat(u.checkCost()).isEqualTo(2000);
        assertThat(u.authenticate("bob", "wrong")).isEmpty();
        assertThat(u.authenticate("nobody", "wrong")).isEmpty();
        assertThat(u.authenticate("admin", "wrong")).isEmpty();
        assertThat(u.authenticate("Bob", "bob-pw-123")).isEmpty();
        // by construction: every path is exactly one check, unknown users at the highest cost in the file,
        // and the built-in admin hashed at that cost too
        assertThat(hasher.checks).containsExactly(2000, 2000, 2000, 2000);
        assertThat(u.authenticate("x".repeat(65), "wrong")).isEmpty();
        assertThat(hasher.count()).isEqualTo(4); // over-long input is refused before hashing, whoever it names
    }

    @Test
    void aVerifiedPasswordIsAnsweredWithoutHashingUntilItsTtlEnds() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "alice:admin:" + PasswordHasher.hash("alice-pw-1".toCharArray(), 1000) + "\n");
        CountingVerifier hasher = new CountingVerifier();
        TestClock clock = new TestClock();
        UserDirectory u = new UserDirectory("admin", Optional.empty(), UserDirectory.readUsersFile(f), clock, hasher);
        for (int i = 0; i < 50; i++) {
            assertThat(u.authenticate("alice", "alice-pw-1")).contains(new Principal("alice", Role.ADMIN));
        }
        assertThat(hasher.count()).isEqualTo(1);
        assertThat(u.authenticate("alice", "alice-pw-2")).isEmpty(); // a cached user's wrong password is still hashed
        assertThat(hasher.count()).isEqualTo(2);
        clock.advance(UserDirectory.VERIFIED_TTL.minusSeconds(1));
        assertThat(u.authenticate("alice", "alice-pw-1")).isPresent();
        assertThat(hasher.count()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(2));
        assertThat(u.authenticate("alice", "alice-pw-1")).isPresent();
        assertThat(hasher.count()).isEqualTo(3);
    }

    @Test
    void iterationsBeyondTheBoundStopStartUpNamingFileAndLine() throws Exception {
        Path f = dir.resolve("users");
        Files.writeString(f, "# ok\nbob:admin:pbkdf2_sha256$999999999$QUFBQUFBQUE=$QUFBQUFBQUFBQUFBQUFBQQ==\n");
        assertThatThrownBy(() -> UserDirectory.readUsersFile(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ADMIN_USERS_FILE").hasMessageContaining(f + " line 2")
                .hasMessageContaining("from 1000 to 5000000").hasMessageNotContaining("QUFBQUFBQUE");
    }

    @Test
    void anOversizedUsersFileIsRefusedBeforeItIsRead() throws Exception {
        Path f = dir.resolve("users");
        Files.write(f, new byte[4 * 1024 * 1024 + 1]);
        assertThatThrownBy(() -> UserDirectory.readUsersFile(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ADMIN_USERS_FILE").hasMessageContaining("at most 4 MB");
    }

    @Test
    void sessionsExpireWhenIdle() {
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId z) { return this; }
            public java.time.Instant instant() { return now.get(); }
        };
        SessionStore s = new SessionStore(java.time.Duration.ofMinutes(10), 2, clock);
        String t = s.create(new Principal("a", Role.ADMIN));
        assertThat(s.lookup(t)).isPresent();
        now.set(now.get().plusSeconds(599));
        assertThat(s.lookup(t)).isPresent();
        now.set(now.get().plusSeconds(601));
        assertThat(s.lookup(t)).isEmpty();
        s.create(new Principal("b", Role.ADMIN));
        s.create(new Principal("c", Role.ADMIN));
        s.create(new Principal("d", Role.ADMIN));
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.lookup("forged-token")).isEmpty();
    }
}
