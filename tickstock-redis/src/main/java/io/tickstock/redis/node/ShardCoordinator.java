package io.tickstock.redis.node;

import io.tickstock.redis.internal.node.NodeKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tickstock.core.connection.FeedClient;
import io.tickstock.core.connection.FeedClientFactory;
import io.tickstock.core.health.HealthContributor;
import io.tickstock.core.universe.Tickers;
import io.tickstock.redis.RedisConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Splits the configured tickers among the live gateway nodes ({@code TICKSTOCK_SHARDING=true}): every node
 * is configured with the same universes, and each serves only the tickers whose {@link Rendezvous} owner
 * among the live node ids is itself.
 *
 * <ul>
 *   <li>Membership: every round, one script puts this node's heartbeat (score = now, epoch ms) into the
 *       sorted set {@code tickstock:shard:members}, refreshes {@code tickstock:nodes:<id>} ({@code PX} = node
 *       health TTL), removes members whose heartbeat is older than the TTL and returns the live ids with
 *       their acks: one round trip, no keyspace scan. A killed node drops out a TTL after its last
 *       heartbeat. Heartbeats use the nodes' clocks, which must agree within a fraction of the TTL.</li>
 *   <li>Make-before-break: on a membership change a node first subscribes the tickers it now owns; when
 *       the feed has acknowledged all of them it writes the view it serves to {@code tickstock:shard:ack:<id>}.
 *       The previous holder of a ticker unsubscribes it only when the new owner's ack names the same view,
 *       or after {@code TICKSTOCK_SHARD_OVERLAP} at the latest. Ticks of a moving ticker may thus come from
 *       two nodes during the overlap (duplicates, same {@code q}), never from none while both live.</li>
 *   <li>A clean stop leaves first (deletes its membership), waits until the others acknowledge the view
 *       without it (or the overlap), and only then lets its feed close.</li>
 * </ul>
 *
 * <p>The manager is not told: it keeps every configured ticker assigned, and the {@link FeedClient}
 * decorator made by {@link #wrap} passes only the owned ones to the real client. Threads: one thread
 * ("tickstock-shards") runs the rounds; the decorators' sets are changed under their own lock, and the
 * real client is called after it is released. Every future a decorator hands out completes: with the
 * feed's answer, failed after the overlap without one, or failed when the coordinator closes. Time (the
 * overlap, heartbeats) is read from the injected {@link Clock}.
 */
public final class ShardCoordinator implements HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardCoordinator.class);

    private final RedisConnector connector;
    private final NodeConfig config;
    private final String me;
    /**
     * KEYS: members zset, this node's member key. ARGV: id, now ms, cutoff ms, TTL ms, ack prefix.
     * Returns id, ack (empty when none) pairs of the live members.
     */
    private static final String HEARTBEAT = "redis.call('zadd', KEYS[1], ARGV[2], ARGV[1]) "
            + "redis.call('pexpire', KEYS[1], ARGV[4]) "
            + "redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[4]) "
            + "redis.call('zremrangebyscore', KEYS[1], '-inf', '(' .. ARGV[3]) "
            + "local out = {} "
            + "for _, id in ipairs(redis.call('zrange', KEYS[1], 0, -1)) do "
            + "out[#out + 1] = id; out[#out + 1] = redis.call('get', ARGV[5] .. id) or '' end "
            + "return out";

    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final List<ShardedClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong movedIn = new AtomicLong();
    private final AtomicLong movedOut = new AtomicLong();
    private final AtomicLong releasedByTimeout = new AtomicLong();
    private final AtomicLong viewChanges = new AtomicLong();
    private final AtomicLong subscribesTimedOut = new AtomicLong();
    private final AtomicLong rounds = new AtomicLong();
    private volatile List<String> members;
    private volatile String viewId;
    private volatile boolean acked;
    private volatile String lastError;
    private volatile boolean leaving;
    private long viewSince; // clock millis
    private StatefulRedisConnection<String, String> connection; // shard thread only

    private ShardCoordinator(RedisConnector connector, NodeConfig config, Clock clock) {
        this.connector = connector;
        this.clock = clock;
        this.viewSince = clock.millis();
        this.config = config;
        this.me = config.nodeId().value();
        this.members = List.of(me);
        this.viewId = viewOf(members);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tickstock-shards");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Joins: the first round runs before this returns (so the first subscriptions already know the other
     * nodes), then every half health interval.
     */
    public static ShardCoordinator start(RedisConnector connector, NodeConfig config) {
        return start(connector, config, Clock.systemUTC());
    }

    /** As {@link #start(RedisConnector, NodeConfig)}, reading heartbeats and the overlap from {@code clock}. */
    public static ShardCoordinator start(RedisConnector connector, NodeConfig config, Clock clock) {
        ShardCoordinator c = new ShardCoordinator(connector, config, clock);
        try {
            c.thread.submit(c::roundSafely).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.lastError = "first round interrupted";
        } catch (ExecutionException | TimeoutException e) {
            c.lastError = "first round: " + e;
        }
        long every = Math.max(100, config.healthInterval().toMillis() / 2);
        c.thread.scheduleWithFixedDelay(c::roundSafely, every, every, TimeUnit.MILLISECONDS);
        return c;
    }

    /** The decorator factory: clients that pass only this node's tickers to the clients {@code inner} makes. */
    public FeedClientFactory wrap(FeedClientFactory inner) {
        return (slot, listener) -> {
            ShardedClient c = new ShardedClient(inner.create(slot, listener));
            clients.add(c);
            return c;
        };
    }

    /** The tickers each connection really subscribes (its share), by connection id. */
    public Map<String, Set<String>> served() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        for (ShardedClient c : clients) {
            m.put(c.connectionId(), Set.copyOf(c.inner.subscriptions()));
        }
        return m;
    }

    /** The live nodes sharing the tickers, as of the last round. */
    public List<String> members() {
        return members;
    }

    /** Rounds run so far (tests wait for rounds rather than for real time). */
    long rounds() {
        return rounds.get();
    }

    private void roundSafely() {
        try {
            round();
        } catch (RuntimeException e) {
            lastError = connector.safeMessage(e); // keep the current view until Redis answers again
        }
        rounds.incrementAndGet();
    }

    private void round() {
        if (leaving) {
            return;
        }
        RedisCommands<String, String> r = commands();
        long ttl = config.healthTtl().toMillis();
        long now = clock.millis();
        Map<String, String> acks = heartbeat(r, now, ttl);
        List<String> live = new ArrayList<>(acks.keySet());
        if (!live.contains(me)) {
            live.add(me);
        }
        live.sort(null);
        if (!live.equals(members)) {
            LOG.info("Shard view of node {}: {} (was {})", me, live, members);
            members = List.copyOf(live);
            viewId = viewOf(members);
            viewSince = now;
            viewChanges.incrementAndGet();
        }
        // make: subscribe what we own now; acknowledge the view once the feed confirmed all of it
        boolean all = !clients.isEmpty(); // no ack before the feed is even built
        for (ShardedClient c : clients) {
            all &= c.subscribeOwned(now);
        }
        acked = all;
        if (all) {
            r.psetex(NodeKeys.ACK_PREFIX + me, ttl, viewId);
        }
        // break: give up what others own once they serve this view, or after the overlap
        Map<String, Boolean> ready = new LinkedHashMap<>();
        for (String m : members) {
            if (!m.equals(me)) {
                ready.put(m, viewId.equals(acks.get(m)));
            }
        }
        boolean overlapOver = now - viewSince > config.shardOverlap().toMillis();
        for (ShardedClient c : clients) {
            c.releaseOthers(ready, overlapOver);
        }
    }

    /** This node's heartbeat, then the live members and their acks (empty string: none), in one round trip. */
    private Map<String, String> heartbeat(RedisCommands<String, String> r, long now, long ttl) {
        List<String> pairs = r.eval(HEARTBEAT, ScriptOutputType.MULTI,
                new String[] {NodeKeys.SHARD_MEMBERS, NodeKeys.MEMBER_PREFIX + me},
                me, Long.toString(now), Long.toString(now - ttl), Long.toString(ttl), NodeKeys.ACK_PREFIX);
        Map<String, String> acks = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            acks.put(pairs.get(i), pairs.get(i + 1));
        }
        return acks;
    }

    private static String viewOf(List<String> members) {
        long h = 0;
        for (String m : members) {
            h = h * 31 + Rendezvous.weight(m, "");
        }
        return members.size() + "-" + Long.toHexString(h);
    }

    private boolean mine(String ticker) {
        List<String> m = members;
        return m.size() == 1 ? m.get(0).equals(me) : me.equals(Rendezvous.owner(ticker, m));
    }

    private RedisCommands<String, String> commands() {
        if (connection == null) {
            connection = connector.connectText();
        }
        return connection.sync();
    }

    @Override
    public String healthName() {
        return "shards";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node_id", me);
        m.put("members", members);
        m.put("view", viewId);
        m.put("view_acknowledged", acked);
        int requested = 0;
        int served = 0;
        for (ShardedClient c : clients) {
            requested += c.requested.size();
            served += c.inner.subscriptions().size();
        }
        m.put("tickers_configured", requested);
        m.put("tickers_served", served);
        m.put("view_changes", viewChanges.get());
        m.put("moved_in", movedIn.get());
        m.put("moved_out", movedOut.get());
        m.put("released_after_overlap", releasedByTimeout.get());
        m.put("subscribes_timed_out", subscribesTimedOut.get());
        m.put("last_error", lastError);
        return m;
    }

    /**
     * Leaves the shard make-before-break: deletes this node's membership, then waits (at most the overlap
     * plus two rounds) until every other node acknowledges the view without it, and stops.
     */
    @Override
    public void close() {
        try {
            thread.submit(() -> {
                leaving = true;
                try {
                    RedisCommands<String, String> r = commands();
                    r.zrem(NodeKeys.SHARD_MEMBERS, me);
                    r.del(NodeKeys.MEMBER_PREFIX + me, NodeKeys.ACK_PREFIX + me);
                    List<String> rest = new ArrayList<>(members);
                    rest.remove(me);
                    if (!rest.isEmpty()) {
                        String next = viewOf(rest);
                        long bound = config.shardOverlap().toMillis() + config.healthInterval().toMillis() * 2;
                        long deadline = clock.millis() + bound;
                        // bounded twice: by the clock and by a number of polls, so a stopped test clock cannot hang it
                        for (long polls = bound / 100 + 1; polls > 0 && clock.millis() < deadline && !rest.stream()
                                .allMatch(n -> next.equals(r.get(NodeKeys.ACK_PREFIX + n))); polls--) {
                            Thread.sleep(100); // hand-over wait on the shard thread
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    lastError = connector.safeMessage(e);
                }
                if (connection != null) {
                    connection.close();
                }
                return null;
            }).get(config.shardOverlap().toMillis() + config.healthInterval().toMillis() * 2 + 5_000,
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Leaving the ticker shard: interrupted");
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Leaving the ticker shard: {}", e.toString());
        }
        thread.shutdownNow();
        for (ShardedClient c : clients) {
            c.failPending(new IllegalStateException("the ticker shard coordinator closed"));
        }
    }

    /** A subscribe handed out by a decorator, with when it was sent (clock millis). */
    private record Pending(CompletableFuture<Void> future, long since) {
    }

    /** A connection that passes only this node's share of its tickers to the real client. */
    private final class ShardedClient implements FeedClient {
        private final FeedClient inner;
        /** Every ticker the manager asked for (the share is a subset). */
        private final Set<String> requested = ConcurrentHashMap.newKeySet();
        /** Guarded by this; bounded: one entry per subscribe call not yet answered, dropped after the overlap. */
        private final List<Pending> pending = new ArrayList<>();
        private volatile boolean started;

        ShardedClient(FeedClient inner) {
            this.inner = inner;
        }

        @Override
        public String connectionId() {
            return inner.connectionId();
        }

        @Override
        public CompletableFuture<Void> connect() {
            started = true;
            return inner.connect();
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return inner.disconnect();
        }

        @Override
        public CompletableFuture<Void> reconnect() {
            return inner.reconnect();
        }

        /*
         * The real client is called after the lock is released. A subscribe racing an unsubscribe of the
         * same ticker can leave it served though no longer requested; the next round's releaseOthers drops it.
         */
        @Override
        public CompletableFuture<Void> subscribe(Collection<String> tickers) {
            List<String> owned;
            synchronized (this) {
                requested.addAll(tickers);
                owned = tickers.stream().filter(ShardCoordinator.this::mine).toList();
            }
            return owned.isEmpty() ? CompletableFuture.completedFuture(null) : track(inner.subscribe(owned));
        }

        @Override
        public CompletableFuture<Void> unsubscribe(Collection<String> tickers) {
            synchronized (this) {
                requested.removeAll(tickers);
            }
            Set<String> served = inner.subscriptions();
            List<String> drop = tickers.stream().filter(served::contains).toList();
            return drop.isEmpty() ? CompletableFuture.completedFuture(null) : inner.unsubscribe(drop);
        }

        /** What the manager asked for (it must not see the share, or it would re-subscribe the rest). */
        @Override
        public Set<String> subscriptions() {
            return Set.copyOf(requested);
        }

        @Override
        public void close() {
            inner.close();
            failPending(new IllegalStateException("connection closed"));
        }

        /** A future that completes with the feed's answer, or fails after the overlap or on close. */
        private CompletableFuture<Void> track(CompletableFuture<Void> feed) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            synchronized (this) {
                pending.add(new Pending(f, clock.millis()));
            }
            feed.whenComplete((v, e) -> {
                if (e == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(e);
                }
            });
            return f;
        }

        void failPending(Throwable why) {
            List<Pending> all;
            synchronized (this) {
                all = new ArrayList<>(pending);
                pending.clear();
            }
            all.forEach(p -> p.future().completeExceptionally(why));
        }

        /** Subscribes owned tickers not yet served; true when all owned ones are acknowledged by the feed. */
        boolean subscribeOwned(long now) {
            Set<String> served = inner.subscriptions();
            List<String> missing;
            synchronized (this) {
                missing = requested.stream().filter(t -> !served.contains(t) && mine(t)).sorted().toList();
            }
            if (!missing.isEmpty()) {
                track(inner.subscribe(missing));
                movedIn.addAndGet(missing.size());
                LOG.info("Node {} {}: now serving {} more tickers", me, inner.connectionId(), missing.size());
            }
            // a subscribe the feed never answered fails after the overlap; its tickers stay missing and are retried
            List<Pending> late = new ArrayList<>();
            boolean none;
            synchronized (this) {
                pending.removeIf(p -> p.future().isDone()); // a failed one is retried: its tickers stay missing
                long limit = config.shardOverlap().toMillis();
                pending.removeIf(p -> now - p.since() > limit && late.add(p));
                none = pending.isEmpty();
            }
            for (Pending p : late) {
                subscribesTimedOut.incrementAndGet();
                p.future().completeExceptionally(new TimeoutException("the feed did not confirm the subscription within "
                        + config.shardOverlap()));
            }
            return started && none && late.isEmpty();
        }

        /**
         * Unsubscribes served tickers that another node owns once that owner serves the current view
         * ({@code ready}), or all of them when the overlap is over.
         */
        void releaseOthers(Map<String, Boolean> ready, boolean overlapOver) {
            List<String> drop = new ArrayList<>();
            List<String> view = members;
            for (String t : new TreeSet<>(inner.subscriptions())) {
                if (!requested.contains(t)) {
                    drop.add(t);
                } else if (!mine(t)) {
                    boolean ownerReady = ready.getOrDefault(Rendezvous.owner(t, view), false);
                    if (ownerReady || overlapOver) {
                        drop.add(t);
                        if (!ownerReady) {
                            releasedByTimeout.incrementAndGet();
                        }
                    }
                }
            }
            if (!drop.isEmpty()) {
                inner.unsubscribe(drop);
                movedOut.addAndGet(drop.size());
                LOG.info("Node {} {}: handed {} over", me, inner.connectionId(), Tickers.count(drop.size()));
            }
        }
    }
}
