package io.tickstock.redis.node;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tickstock.core.config.ConnectionConfig;
import io.tickstock.core.connection.FeedClient;
import io.tickstock.core.connection.FeedClientFactory;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.health.HealthContributor;
import io.tickstock.core.universe.Tickers;
import io.tickstock.redis.RedisConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Splits the configured tickers among the live gateway nodes ({@code TICKSTOCK_SHARDING=true}): every node
 * is configured with the same universes, and each serves only the tickers whose {@link Rendezvous} owner
 * among the live node ids is itself.
 *
 * <ul>
 *   <li>Membership: each node refreshes {@code tickstock:nodes:<id>} ({@code PX} = node health TTL) every
 *       round and lists the others with SCAN; a killed node drops out when its key expires.</li>
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
 * ("tickstock-shards") runs the rounds; the decorators' sets are changed under their own lock.
 */
public final class ShardCoordinator implements HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardCoordinator.class);

    private final RedisConnector connector;
    private final NodeConfig config;
    private final String me;
    private final ScheduledExecutorService thread;
    private final List<ShardedClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong movedIn = new AtomicLong();
    private final AtomicLong movedOut = new AtomicLong();
    private final AtomicLong releasedByTimeout = new AtomicLong();
    private final AtomicLong viewChanges = new AtomicLong();
    private volatile List<String> members;
    private volatile String viewId;
    private volatile boolean acked;
    private volatile String lastError;
    private volatile boolean leaving;
    private long viewSince = System.nanoTime();
    private StatefulRedisConnection<String, String> connection; // shard thread only

    private ShardCoordinator(RedisConnector connector, NodeConfig config) {
        this.connector = connector;
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
        ShardCoordinator c = new ShardCoordinator(connector, config);
        try {
            c.thread.submit(c::roundSafely).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
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

    public List<String> members() {
        return members;
    }

    private void roundSafely() {
        try {
            round();
        } catch (RuntimeException e) {
            lastError = connector.safeMessage(e); // keep the current view until Redis answers again
        }
    }

    private void round() {
        if (leaving) {
            return;
        }
        RedisCommands<String, String> r = commands();
        long ttl = config.healthTtl().toMillis();
        r.set(NodeKeys.MEMBER_PREFIX + me, Long.toString(System.currentTimeMillis()), SetArgs.Builder.px(ttl));
        List<String> live = scanMembers(r);
        if (!live.contains(me)) {
            live.add(me);
            live.sort(null);
        }
        if (!live.equals(members)) {
            LOG.info("Shard view of node {}: {} (was {})", me, live, members);
            members = List.copyOf(live);
            viewId = viewOf(members);
            viewSince = System.nanoTime();
            viewChanges.incrementAndGet();
        }
        // make: subscribe what we own now; acknowledge the view once the feed confirmed all of it
        boolean all = !clients.isEmpty(); // no ack before the feed is even built
        for (ShardedClient c : clients) {
            all &= c.subscribeOwned();
        }
        acked = all;
        if (all) {
            r.set(NodeKeys.ACK_PREFIX + me, viewId, SetArgs.Builder.px(ttl));
        }
        // break: give up what others own once they serve this view, or after the overlap
        Map<String, Boolean> ready = new LinkedHashMap<>();
        for (String m : members) {
            if (!m.equals(me)) {
                ready.put(m, viewId.equals(r.get(NodeKeys.ACK_PREFIX + m)));
            }
        }
        boolean overlapOver = System.nanoTime() - viewSince > config.shardOverlap().toNanos();
        for (ShardedClient c : clients) {
            c.releaseOthers(ready, overlapOver);
        }
    }

    private static List<String> scanMembers(RedisCommands<String, String> r) {
        List<String> ids = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(NodeKeys.MEMBER_PREFIX + "*").limit(200));
            for (String k : page.getKeys()) {
                ids.add(k.substring(NodeKeys.MEMBER_PREFIX.length()));
            }
            cursor = page;
        } while (!cursor.isFinished());
        ids.sort(null);
        return ids;
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
                    r.del(NodeKeys.MEMBER_PREFIX + me, NodeKeys.ACK_PREFIX + me);
                    List<String> rest = new ArrayList<>(members);
                    rest.remove(me);
                    if (!rest.isEmpty()) {
                        String next = viewOf(rest);
                        long deadline = System.nanoTime() + config.shardOverlap().toNanos()
                                + config.healthInterval().toNanos() * 2;
                        while (System.nanoTime() < deadline && !rest.stream()
                                .allMatch(n -> next.equals(r.get(NodeKeys.ACK_PREFIX + n)))) {
                            Thread.sleep(100); // hand-over wait on the shard thread, bounded by the deadline
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
        } catch (Exception e) {
            LOG.warn("Leaving the ticker shard: {}", e.toString());
        }
        thread.shutdownNow();
    }

    /** A connection that passes only this node's share of its tickers to the real client. */
    private final class ShardedClient implements FeedClient {
        private final FeedClient inner;
        /** Every ticker the manager asked for (the share is a subset). */
        private final Set<String> requested = ConcurrentHashMap.newKeySet();
        private final List<CompletableFuture<Void>> pending = new ArrayList<>();
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

        @Override
        public synchronized CompletableFuture<Void> subscribe(Collection<String> tickers) {
            requested.addAll(tickers);
            List<String> owned = tickers.stream().filter(ShardCoordinator.this::mine).toList();
            if (owned.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = inner.subscribe(owned);
            pending.add(f);
            return f;
        }

        @Override
        public synchronized CompletableFuture<Void> unsubscribe(Collection<String> tickers) {
            requested.removeAll(tickers);
            Set<String> served = new HashSet<>(inner.subscriptions());
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
        }

        /** Subscribes owned tickers not yet served; true when all owned ones are acknowledged by the feed. */
        synchronized boolean subscribeOwned() {
            Set<String> served = inner.subscriptions();
            List<String> missing = requested.stream().filter(t -> !served.contains(t) && mine(t)).sorted().toList();
            if (!missing.isEmpty()) {
                pending.add(inner.subscribe(missing));
                movedIn.addAndGet(missing.size());
                LOG.info("Node {} {}: now serving {} more tickers", me, inner.connectionId(), missing.size());
            }
            pending.removeIf(CompletableFuture::isDone); // a failed one is retried: its tickers stay missing
            return started && pending.isEmpty();
        }

        /**
         * Unsubscribes served tickers that another node owns once that owner serves the current view
         * ({@code ready}), or all of them when the overlap is over.
         */
        synchronized void releaseOthers(Map<String, Boolean> ready, boolean overlapOver) {
            List<String> drop = new ArrayList<>();
            for (String t : new TreeSet<>(inner.subscriptions())) {
                if (!requested.contains(t)) {
                    drop.add(t);
                } else if (!mine(t)) {
                    boolean ownerReady = ready.getOrDefault(Rendezvous.owner(t, members), false);
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
