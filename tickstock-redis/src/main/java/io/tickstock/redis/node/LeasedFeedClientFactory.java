package io.tickstock.redis.node;

import io.tickstock.redis.internal.node.NodeKeys;
import io.tickstock.redis.internal.node.SlotLeases;
import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedClient;
import io.tickstock.core.connection.FeedClientFactory;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.health.HealthContributor;
import io.tickstock.redis.RedisConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FeedClientFactory} decorator that makes every connection hold a Redis slot lease
 * ({@link SlotLeases}) of its API key before it opens its socket, so that the nodes sharing one key
 * never open more connections than the plan allows (which would make Massive evict the oldest).
 *
 * <ul>
 *   <li>{@code connect()}: the connection reports {@code connecting} and tries to take a lease every
 *       second; only with a lease does the wrapped client connect.</li>
 *   <li>While held, the lease is renewed every TTL/3 (and taken again if its key vanished with a Redis
 *       restart). When a renewal finds another holder, the socket is closed at once (status {@code error}
 *       then {@code connecting}) and the connection waits for a lease again. While Redis is unreachable
 *       the connection keeps running (a Redis outage must not stop the feed) unless
 *       {@code TICKSTOCK_LEASE_REDIS_DOWN=drop}, which closes it after 5/6 of the TTL without renewal.</li>
 *   <li>{@code disconnect()} / {@code close()}: the socket is closed, then the lease released.</li>
 * </ul>
 *
 * <p>Threads: all Redis work and every lease decision run on one thread ("tickstock-leases"); the
 * wrapped client keeps its own threads, and its connect and disconnect are called on the leasing thread,
 * in order. A connection's small lock guards only its own fields: the client and the listener are called
 * after it is released. Lease time is read from the injected {@link Clock}, so tests drive renewals and
 * retries by moving it.
 */
public final class LeasedFeedClientFactory implements FeedClientFactory, HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeasedFeedClientFactory.class);
    static final String WAITING = "waiting for a connection slot lease (all are held by other connections)";
    static final String WAITING_FOR_REDIS = "waiting for Redis to take a connection slot lease (Redis unreachable)";

    private final FeedClientFactory inner;
    private final SlotLeases leases;
    private final NodeId node;
    private final long ttlNanos;
    private final boolean dropWhenRedisDown;
    private final long acquireEveryNanos = Duration.ofSeconds(1).toNanos();
    private final ScheduledExecutorService thread;
    private final Clock clock;
    private final List<LeasedFeedClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong rounds = new AtomicLong();

    public LeasedFeedClientFactory(FeedClientFactory inner, RedisConnector connector, NodeConfig config,
                                   io.tickstock.core.config.Secret apiKey) {
        this(inner, connector, config, apiKey, Clock.systemUTC());
    }

    /** As above, reading lease time (renewals, retries, the Redis-down limit) from {@code clock}. */
    public LeasedFeedClientFactory(FeedClientFactory inner, RedisConnector connector, NodeConfig config,
                                   io.tickstock.core.config.Secret apiKey, Clock clock) {
        this(inner, new SlotLeases(connector, apiKey, config.leaseSlots(), config.leaseTtl()), config.nodeId(),
                config.leaseTtl(), config.dropWhenRedisDown(), clock);
    }

    LeasedFeedClientFactory(FeedClientFactory inner, SlotLeases leases, NodeId node, Duration ttl,
                            boolean dropWhenRedisDown, Clock clock) {
        this.inner = inner;
        this.clock = clock;
        this.dropWhenRedisDown = dropWhenRedisDown;
        this.leases = leases;
        this.node = node;
        this.ttlNanos = ttl.toNanos();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tickstock-leases");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(50, Math.min(1000, ttl.toMillis() / 6));
        thread.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    @Override
    public FeedClient create(ConnectionConfig slot, FeedListener listener) {
        LeasedFeedClient c = new LeasedFeedClient(slot, listener);
        clients.add(c);
        return c;
    }

    private void tick() {
        for (LeasedFeedClient c : clients) {
            try {
                c.tick(now());
            } catch (RuntimeException e) {
                c.lastError = e.toString();
            }
        }
        rounds.incrementAndGet();
    }

    /** Leasing rounds run so far (tests wait for rounds rather than for real time). */
    long rounds() {
        return rounds.get();
    }

    /** Lease time in nanoseconds, from the injected clock. */
    private long now() {
        return TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    @Override
    public String healthName() {
        return "slot_leases";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node_id", node.value());
        m.put("key", NodeKeys.LEASE_PREFIX + "<key hash>:1.." + leases.slots());
        m.put("slots", leases.slots());
        Map<String, Object> conns = new LinkedHashMap<>();
        for (LeasedFeedClient c : clients) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("held_slot", c.heldSlot == 0 ? null : c.heldSlot);
            x.put("waiting", c.wanted && c.heldSlot == 0);
            x.put("acquired", c.acquired.get());
            x.put("lost", c.lost.get());
            x.put("last_error", c.lastError);
            conns.put(c.connectionId(), x);
        }
        m.put("connections", conns);
        return m;
    }

    /** Leases held by this factory's connections now, by connection id (for tests and health). */
    public Map<String, Integer> heldSlots() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (LeasedFeedClient c : clients) {
            if (c.heldSlot != 0) {
                m.put(c.connectionId(), c.heldSlot);
            }
        }
        return m;
    }

    /** Releases every lease still held (the clients are closed by their manager) and stops the thread. */
    @Override
    public void close() {
        CompletableFuture<?>[] released = clients.stream().map(LeasedFeedClient::disconnect)
                .toArray(CompletableFuture<?>[]::new);
        try {
            CompletableFuture.allOf(released).get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a lease not released expires by itself after the TTL
        }
        thread.execute(leases::close);
        thread.shutdown();
        try {
            thread.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One connection behind a lease. Lease fields are touched on the leasing thread only. */
    private final class LeasedFeedClient implements FeedClient {
        private final String id;
        private final String holder;
        private final int preferred;
        private final FeedListener listener;
        private final FeedClient client;
        private final AtomicLong acquired = new AtomicLong();
        private final AtomicLong lost = new AtomicLong();
        private volatile boolean wanted;
        private volatile int heldSlot;
        private volatile String lastError;
        private final io.tickstock.core.internal.log.LogThrottle redisDownLog =
                io.tickstock.core.internal.log.LogThrottle.every(Duration.ofMinutes(1));
        private long lastRenewed;
        private long lastAttempt = Long.MIN_VALUE / 2;
        private CompletableFuture<Void> firstConnect = new CompletableFuture<>();

        LeasedFeedClient(ConnectionConfig slot, FeedListener listener) {
            this.id = slot.id();
            this.holder = node.value() + "/" + slot.id();
            this.preferred = slot.index();
            this.listener = listener;
            this.client = inner.create(slot, new Filter());
        }

        @Override
        public String connectionId() {
            return id;
        }

        @Override
        public CompletableFuture<Void> connect() {
            CompletableFuture<Void> f;
            boolean started = false;
            synchronized (this) {
                if (!wanted) {
                    wanted = true;
                    firstConnect = new CompletableFuture<>();
                    started = true;
                }
                f = firstConnect;
            }
            if (started) {
                listener.onStatus(ConnectionStatus.CONNECTING, "taking a connection slot lease");
                thread.execute(() -> tick(now()));
            }
            return f;
        }

        void tick(long now) {
            if (!wanted) {
                return;
            }
            int held = heldSlot;
            if (held == 0) {
                if (now - lastAttempt < acquireEveryNanos) {
                    return;
                }
                lastAttempt = now;
                OptionalInt got;
                try {
                    got = leases.tryAcquire(holder, preferred);
                } catch (RuntimeException e) {
                    lastError = "cannot reach Redis to take a lease: " + leases.safeMessage(e);
                    // say why the connection does not open, on the page and (a few times a minute) in the log
                    listener.onStatus(ConnectionStatus.CONNECTING, WAITING_FOR_REDIS);
                    long skipped = redisDownLog.tryAcquire();
                    if (skipped >= 0) {
                        LOG.warn("{}: {}; the feed connection opens once Redis answers and a lease is free{}",
                                holder, lastError, skipped == 0 ? "" : " (" + skipped + " similar lines skipped)");
                    }
                    return;
                }
                if (got.isEmpty()) {
                    listener.onStatus(ConnectionStatus.CONNECTING, WAITING);
                    return;
                }
                CompletableFuture<Void> f;
                synchronized (this) {
                    if (wanted) {
                        heldSlot = got.getAsInt();
                        lastRenewed = now;
                        f = firstConnect;
                    } else {
                        f = null;
                    }
                }
                if (f == null) { // disconnected meanwhile: give it straight back
                    leases.release(got.getAsInt(), holder);
                    return;
                }
                acquired.incrementAndGet();
                LOG.info("{} holds connection slot lease {} of {}", holder, got.getAsInt(), leases.slots());
                client.connect().whenComplete((v, e) -> {
                    if (e == null) {
                        f.complete(null);
                    } else {
                        f.completeExceptionally(e);
                    }
                });
                // a disconnect() meanwhile closes the socket after this, on this thread (closeClient)
            } else if (now - lastRenewed >= ttlNanos / 3) {
                boolean ok;
                try {
                    ok = leases.renew(held, holder);
                } catch (RuntimeException e) {
                    lastError = "cannot reach Redis to renew the lease: " + e.getClass().getSimpleName();
                    if (dropWhenRedisDown && now - lastRenewed >= ttlNanos * 5 / 6) {
                        lose("connection slot lease could not be renewed (Redis unreachable)");
                    }
                    return;
                }
                if (ok) {
                    lastRenewed = now;
                } else {
                    lose("connection slot lease " + held + " was lost to another connection");
                }
            }
        }

        /**
         * The lease is gone: close the socket now, so that we never overlap with its new holder. The state
         * changes under the lock; the client and the listener are called after it is released.
         */
        private void lose(String why) {
            boolean stillWanted;
            synchronized (this) {
                if (heldSlot == 0) {
                    return;
                }
                heldSlot = 0;
                stillWanted = wanted;
            }
            lost.incrementAndGet();
            LOG.warn("{}: {}; closing the connection and waiting for a lease", holder, why);
            client.disconnect();
            if (stillWanted) {
                listener.onStatus(ConnectionStatus.ERROR, why);
                listener.onStatus(ConnectionStatus.CONNECTING, WAITING);
            }
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            int held;
            synchronized (this) {
                if (!wanted && heldSlot == 0) {
                    return CompletableFuture.completedFuture(null);
                }
                wanted = false;
                held = heldSlot;
                heldSlot = 0;
            }
            CompletableFuture<Void> closed = closeClient();
            listener.onStatus(ConnectionStatus.DISCONNECTED, null);
            if (held == 0 || thread.isShutdown()) {
                return closed;
            }
            // release only once the socket is closed, so that the next holder never overlaps with us
            return closed.handle((v, e) -> null).thenRunAsync(() -> release(held), thread)
                    .exceptionally(e -> null); // rejected after shutdown: the lease expires by its TTL
        }

        /**
         * Closes the socket on the leasing thread, so that it is ordered after a connect the leasing thread
         * may be making right now (the wrapped client's calls never block); directly once that thread stopped.
         */
        private CompletableFuture<Void> closeClient() {
            try {
                return CompletableFuture.supplyAsync(client::disconnect, thread).thenCompose(f -> f);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return client.disconnect();
            }
        }

        private void release(int held) {
            try {
                leases.release(held, holder);
            } catch (RuntimeException e) {
                lastError = "cannot release the lease (it expires by itself): " + e.getClass().getSimpleName();
            }
        }

        @Override
        public CompletableFuture<Void> reconnect() {
            if (heldSlot != 0) {
                return client.reconnect();
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> subscribe(Collection<String> tickers) {
            return client.subscribe(tickers);
        }

        @Override
        public CompletableFuture<Void> unsubscribe(Collection<String> tickers) {
            return client.unsubscribe(tickers);
        }

        @Override
        public Set<String> subscriptions() {
            return client.subscriptions();
        }

        @Override
        public void close() {
            disconnect();
            client.close();
        }

        /**
         * Passes the wrapped client's reports on, except its {@code disconnected} while this connection
         * still wants to run (a lost lease): the connection is then waiting, not stopped.
         */
        private final class Filter implements FeedListener {
            @Override
            public void onEvent(MarketEvent event) {
                listener.onEvent(event);
            }

            @Override
            public void onStatus(ConnectionStatus status, String message) {
                if (status == ConnectionStatus.DISCONNECTED && wanted) {
                    return;
                }
                listener.onStatus(status, message);
            }

            @Override
            public void onError(String message) {
                listener.onError(message);
            }
        }
    }
}
