package io.tickstock.redis.node;

import io.tickstock.redis.internal.node.SlotLeases;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.config.Secret;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedClient;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.testing.InMemoryFeed;
import io.tickstock.core.testing.ManualTime;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.RedisConnector;
import io.tickstock.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Slot leases against a real redis-server, and the leased client factory over in-memory feeds. */
class SlotLeasesIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final Secret KEY = new Secret("sk-lease-test-0123456789");
    private static final Duration TTL = Duration.ofMillis(900);

    private RedisConnector connector;
    private RedisClient client;
    private StatefulRedisConnection<String, String> redis;

    @BeforeEach
    void open() {
        connector = RedisConnector.create(RedisConfig.of(REDIS.uri()));
        client = RedisClient.create(REDIS.uri());
        redis = client.connect();
    }

    @AfterEach
    void close() {
        redis.close();
        client.shutdown();
        connector.close();
    }

    @Test
    void leasesAreExclusiveRenewedAndReleasedOnlyByTheirHolderAndExpire() {
        try (SlotLeases leases = new SlotLeases(connector, KEY, 2, TTL)) {
            assertThat(leases.tryAcquire("a/connection_1", 1)).isEqualTo(OptionalInt.of(1));
            assertThat(leases.tryAcquire("b/connection_1", 1)).isEqualTo(OptionalInt.of(2));
            assertThat(leases.tryAcquire("c/connection_1", 1)).isEmpty();
            assertThat(leases.renew(1, "b/connection_1")).isFalse(); // held by a/connection_1
            assertThat(leases.release(1, "b/connection_1")).isFalse();
            assertThat(leases.holder(1)).isEqualTo("a/connection_1");
            assertThat(leases.renew(1, "a/connection_1")).isTrue();
            assertThat(leases.release(2, "b/connection_1")).isTrue();
            assertThat(leases.tryAcquire("c/connection_1", 1)).isEqualTo(OptionalInt.of(2));
            // a holder that stops renewing loses the slot after the TTL
            await().atMost(Duration.ofSeconds(5)).until(() -> leases.tryAcquire("d/connection_1", 1).isPresent());
            assertThat(leases.renew(1, "a/connection_1") && leases.renew(2, "c/connection_1")).isFalse();
            // a key that vanished (Redis restarted empty) is taken back by its holder's next renewal
            int dSlot = "d/connection_1".equals(leases.holder(1)) ? 1 : 2;
            redis.sync().del(leases.key(dSlot));
            assertThat(leases.renew(dSlot, "d/connection_1")).isTrue();
            assertThat(leases.holder(dSlot)).isEqualTo("d/connection_1");
        }
        // the key's name never reveals the API key
        assertThat(redis.sync().keys("tickstock:lease:*")).allSatisfy(k -> assertThat(k)
                .doesNotContain(KEY.reveal()).matches("tickstock:lease:[0-9a-f]{16}:[12]"));
    }

    @Test
    void aConnectionWithoutALeaseNeverConnectsAndTakesTheSlotWhenItsHolderStops() {
        InMemoryFeed feedA = new InMemoryFeed();
        InMemoryFeed feedB = new InMemoryFeed();
        Recorder a1 = new Recorder();
        Recorder b1 = new Recorder();
        try (LeasedFeedClientFactory a = factory(feedA, "node-a");
             LeasedFeedClientFactory b = factory(feedB, "node-b")) {
            FeedClient ca = a.create(slot(1), a1);
            ca.connect().join();
            FeedClient cb = b.create(slot(1), b1);
            cb.connect();
            await().atMost(Duration.ofSeconds(5)).until(() -> b1.messages.contains(LeasedFeedClientFactory.WAITING));
            assertThat(feedB.client("connection_1").calls()).doesNotContain("connect");
            assertThat(b1.statuses).containsExactly(ConnectionStatus.CONNECTING);

            ca.disconnect().join(); // releases at once: no TTL to wait for
            await().atMost(Duration.ofSeconds(3)).until(() -> b1.statuses.contains(ConnectionStatus.CONNECTED));
            assertThat(feedB.client("connection_1").calls()).contains("connect");
            assertThat(b.heldSlots()).containsEntry("connection_1", 1);
        }
    }

    @Test
    void aConnectionWhoseLeaseIsTakenClosesItsSocketAndWaitsAgain() {
        InMemoryFeed feed = new InMemoryFeed();
        Recorder r = new Recorder();
        try (LeasedFeedClientFactory a = factory(feed, "node-a")) {
            FeedClient c = a.create(slot(1), r);
            c.connect().join();
            String key = new SlotLeases(connector, KEY, 1, TTL).key(1);
            redis.sync().set(key, "intruder/connection_1");
            await().atMost(Duration.ofSeconds(3)).until(() -> r.statuses.contains(ConnectionStatus.ERROR));
            assertThat(feed.client("connection_1").calls()).containsSubsequence("connect", "disconnect");
            assertThat(r.statuses).endsWith(ConnectionStatus.ERROR, ConnectionStatus.CONNECTING)
                    .doesNotContain(ConnectionStatus.DISCONNECTED);
            assertThat(a.heldSlots()).isEmpty();
            redis.sync().del(key); // free again: it takes it and reconnects
            await().atMost(Duration.ofSeconds(3)).until(() -> r.statuses.lastIndexOf(ConnectionStatus.CONNECTED)
                    > r.statuses.indexOf(ConnectionStatus.ERROR));
        }
    }

    @Test
    void aRedisRestartDoesNotDropTheConnectionAndRedisDownIsRiddenOut() {
        InMemoryFeed feed = new InMemoryFeed();
        Recorder r = new Recorder();
        try (LeasedFeedClientFactory a = factory(feed, "node-a")) {
            FeedClient c = a.create(slot(1), r);
            c.connect().join();
            String key = new SlotLeases(connector, KEY, 1, TTL).key(1);
            redis.sync().flushall(); // what a restart without persistence leaves
            await().atMost(Duration.ofSeconds(3)).until(() -> "node-a/connection_1".equals(redis.sync().get(key)));
            REDIS.server().kill();
            // no renewal possible for longer than the TTL: the connection keeps running (default keep)
            await().during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(3))
                    .until(() -> r.statuses.equals(List.of(ConnectionStatus.CONNECTING, ConnectionStatus.CONNECTED)));
            assertThat(a.heldSlots()).containsEntry("connection_1", 1);
        }
    }

    @Test
    void withRedisDownAtStartTheConnectionSaysItWaitsForRedis() {
        InMemoryFeed feed = new InMemoryFeed();
        Recorder r = new Recorder();
        REDIS.server().kill();
        try (LeasedFeedClientFactory a = factory(feed, "node-a")) {
            FeedClient c = a.create(slot(1), r);
            c.connect();
            await().atMost(Duration.ofSeconds(10)).until(() -> r.messages.contains(LeasedFeedClientFactory.WAITING_FOR_REDIS));
            assertThat(feed.client("connection_1").calls()).doesNotContain("connect");
            assertThat(a.health().toString()).contains("cannot reach Redis to take a lease: ");
        }
    }

    @Test
    void aLeaseTakenByAnotherHolderIsNoticedOnlyWhenTheClockReachesTheRenewal() {
        InMemoryFeed feed = new InMemoryFeed();
        Recorder r = new Recorder();
        ManualTime time = new ManualTime(Instant.parse("2026-12-01T15:00:00Z"));
        try (LeasedFeedClientFactory a = factory(feed, "node-a", time.clock())) {
            FeedClient c = a.create(slot(1), r);
            c.connect().join();
            String key = new SlotLeases(connector, KEY, 1, TTL).key(1);
            redis.sync().set(key, "node-z/connection_1"); // another holder took it (after an expiry, say)
            // the clock stands still: several leasing rounds pass without a renewal, so nothing is noticed
            long rounds = a.rounds();
            await().atMost(Duration.ofSeconds(5)).until(() -> a.rounds() >= rounds + 3);
            assertThat(a.heldSlots()).containsEntry("connection_1", 1);
            assertThat(r.statuses).containsExactly(ConnectionStatus.CONNECTING, ConnectionStatus.CONNECTED);
            // a third of the TTL later the renewal finds the other holder: the socket closes at once
            time.advance(TTL.dividedBy(3));
            await().atMost(Duration.ofSeconds(5)).until(() -> a.heldSlots().isEmpty());
            await().atMost(Duration.ofSeconds(5)).until(() -> r.statuses.size() >= 4);
            assertThat(r.statuses).containsExactly(ConnectionStatus.CONNECTING, ConnectionStatus.CONNECTED,
                    ConnectionStatus.ERROR, ConnectionStatus.CONNECTING);
            assertThat(feed.client("connection_1").calls()).containsExactly("connect", "disconnect");
            assertThat(redis.sync().get(key)).isEqualTo("node-z/connection_1");
            assertThat(a.health().toString()).contains("lost=1");
        }
    }

    @Test
    void disconnectFromAnInterruptedThreadKeepsTheInterruptAndStillReleasesTheLease() {
        InMemoryFeed feed = new InMemoryFeed();
        Recorder r = new Recorder();
        try (LeasedFeedClientFactory a = factory(feed, "node-a")) {
            FeedClient c = a.create(slot(1), r);
            c.connect().join();
            Thread.currentThread().interrupt();
            try {
                c.disconnect().join();
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(feed.client("connection_1").calls()).containsExactly("connect", "disconnect");
            assertThat(a.heldSlots()).isEmpty();
            assertThat(redis.sync().get(new SlotLeases(connector, KEY, 1, TTL).key(1))).isNull(); // released
        }
    }

    private LeasedFeedClientFactory factory(InMemoryFeed feed, String node) {
        return factory(feed, node, Clock.systemUTC());
    }

    private LeasedFeedClientFactory factory(InMemoryFeed feed, String node, Clock clock) {
        return new LeasedFeedClientFactory(feed, new SlotLeases(connector, KEY, 1, TTL), new NodeId(node), TTL, false,
                clock);
    }

    private static ConnectionConfig slot(int n) {
        return new ConnectionConfig(n, "primary", true, Optional.empty(), List.of("AAPL"), "standard");
    }

    private static final class Recorder implements FeedListener {
        final List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(MarketEvent event) {
        }

        @Override
        public void onStatus(ConnectionStatus status, String message) {
            if (statuses.isEmpty() || statuses.get(statuses.size() - 1) != status) {
                statuses.add(status);
            }
            messages.add(String.valueOf(message));
        }

        @Override
        public void onError(String message) {
        }
    }
}
