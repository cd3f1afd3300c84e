package io.tickstock.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.Tick;
import io.tickstock.core.event.EventType;
import io.tickstock.core.lastvalue.SnapshotFilter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A consumer that starts mid-session: the last value of each ticker from the Redis hashes, then the live
 * tick channel, with no gap and no double. The hand-over, in order:
 * <ol>
 *   <li>subscribe to the tick channel (confirmed by Redis) and buffer what arrives;</li>
 *   <li>read the last-value hashes ({@code HGETALL}, or {@code HMGET} for given tickers) and hand each
 *       value to the listener;</li>
 *   <li>hand over the buffered, then the live messages, dropping any whose (timestamp, sequence) is not
 *       after the snapshot's value of the same ticker and type ({@link SnapshotFilter}).</li>
 * </ol>
 * It works because the publisher writes a message into the hash before it publishes it (same
 * connection, so Redis runs them in that order): a message published before step 1 is in the hash (or
 * superseded there), one published after step 1 reaches the buffer.
 *
 * <p>The listener is called on one thread at a time: the starting thread for the snapshot and the
 * buffer, then the Lettuce I/O thread; it must not block. The buffer is bounded by
 * {@code maxBuffered}: messages beyond it are dropped and counted ({@link #handOverDropped()}), which
 * would be a gap. After a Redis reconnect ({@link #resubscriptions()}) the channel's missed messages are
 * not recovered: start a new subscriber to take a fresh snapshot.
 */
public final class LastValueSubscriber implements AutoCloseable {
    private final RedisConnector connector;
    private final byte[] channel;
    private final TickSink<Tick> listener;
    private final TickSink<Tick> snapshotListener;
    private final int maxBuffered;
    private final Object lock = new Object();
    private final ArrayDeque<PublishedTick> buffer = new ArrayDeque<>();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder subscriptions = new LongAdder();
    private boolean live; // guarded by lock
    private volatile SnapshotFilter filter;
    private StatefulRedisPubSubConnection<byte[], byte[]> pubSub;
    private int snapshotSize;

    private LastValueSubscriber(RedisConnector connector, TickSink<Tick> snapshotListener, TickSink<Tick> listener,
                                int maxBuffered) {
        this.connector = connector;
        this.channel = connector.config().tickChannel().getBytes(StandardCharsets.UTF_8);
        this.snapshotListener = snapshotListener;
        this.listener = listener;
        this.maxBuffered = maxBuffered;
    }

    /**
     * Subscribes, reads the snapshot and hands it to {@code listener}, then follows the channel. Returns
     * once the snapshot and the buffered messages have been delivered; throws when Redis cannot be
     * reached.
     *
     * @param symbols     the tickers wanted; empty for every ticker in the hashes
     * @param maxBuffered most messages held while the snapshot is read
     */
    public static LastValueSubscriber start(RedisConnector connector, LastValueConfig keys, Collection<String> symbols,
                                            int maxBuffered, TickSink<Tick> listener) {
        return start(connector, keys, symbols, maxBuffered, listener, listener);
    }

    /** Like {@link #start(RedisConnector, LastValueConfig, Collection, int, TickSink)}, with the snapshot's
     * values going to {@code snapshotListener} and the channel's ticks to {@code liveListener}. */
    public static LastValueSubscriber start(RedisConnector connector, LastValueConfig keys, Collection<String> symbols,
                                            int maxBuffered, TickSink<Tick> snapshotListener, TickSink<Tick> liveListener) {
        LastValueSubscriber s = new LastValueSubscriber(connector, snapshotListener, liveListener, maxBuffered);
        try {
            s.begin(keys, List.copyOf(symbols));
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void begin(LastValueConfig keys, List<String> symbols) {
        pubSub = connector.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] ch, byte[] message) {
                onMessage(ch, message);
            }

            @Override
            public void subscribed(byte[] ch, long count) {
                subscriptions.increment(); // again after every reconnect (Lettuce resubscribes by itself)
            }
        });
        pubSub.sync().subscribe(channel); // returns once Redis confirmed the subscription
        List<PublishedTick> snapshot = new ArrayList<>();
        try (StatefulRedisConnection<byte[], byte[]> c = connector.connectBinary()) {
            RedisCommands<byte[], byte[]> redis = c.sync();
            for (EventType type : new EventType[] {EventType.T, EventType.Q}) {
                byte[] key = keys.keyBytes(type);
                if (symbols.isEmpty()) {
                    for (Map.Entry<byte[], byte[]> e : redis.hgetall(key).entrySet()) {
                        addParsed(snapshot, e.getValue());
                    }
                } else {
                    byte[][] fields = symbols.stream().map(x -> x.getBytes(StandardCharsets.UTF_8))
                            .toArray(byte[][]::new);
                    for (KeyValue<byte[], byte[]> kv : redis.hmget(key, fields)) {
                        if (kv.hasValue()) {
                            addParsed(snapshot, kv.getValue());
                        }
                    }
                }
            }
        }
        SnapshotFilter f = new SnapshotFilter();
        for (PublishedTick t : snapshot) {
            f.add(t.symbol(), t.eventType(), t.timestamp(), t.sequence());
        }
        snapshotSize = snapshot.size();
        filter = f;
        snapshot.forEach(snapshotListener::accept);
        List<PublishedTick> batch = new ArrayList<>();
        while (true) { // hand the buffer over outside the lock, until it stays empty
            synchronized (lock) {
                if (buffer.isEmpty()) {
                    live = true;
                    return;
                }
                batch.addAll(buffer);
                buffer.clear();
            }
            for (PublishedTick t : batch) {
                deliver(t);
            }
            batch.clear();
        }
    }

    private void addParsed(List<PublishedTick> out, byte[] json) {
        try {
            out.add(TickJson.read(json));
        } catch (IllegalArgumentException e) {
            malformed.increment();
        }
    }

    private void onMessage(byte[] ch, byte[] message) {
        if (!java.util.Arrays.equals(ch, channel)) {
            return;
        }
        PublishedTick t;
        try {
            t = TickJson.read(message);
        } catch (IllegalArgumentException e) {
            malformed.increment();
            return;
        }
        received.increment();
        synchronized (lock) {
            if (!live) {
                if (buffer.size() < maxBuffered) {
                    buffer.add(t);
                } else {
                    dropped.increment();
                }
                return;
            }
        }
        deliver(t);
    }

    private void deliver(PublishedTick t) {
        if (filter.admit(t.symbol(), t.eventType(), t.timestamp(), t.sequence())) {
            listener.accept(t);
        }
    }

    /** Values the snapshot held. */
    public int snapshotSize() {
        return snapshotSize;
    }

    /** Channel messages received (before filtering). */
    public long received() {
        return received.sum();
    }

    /** Messages lost because the buffer was full while the snapshot was read (a gap). */
    public long handOverDropped() {
        return dropped.sum();
    }

    /**
     * Times the channel was subscribed again after a lost connection: each one may hide a gap (Redis
     * also drops a pub/sub client whose output buffer passes its limit). Take a new snapshot when it grows.
     */
    public long resubscriptions() {
        return Math.max(0, subscriptions.sum() - 1);
    }

    /** Snapshot values and channel messages that were not tick messages. */
    public long malformed() {
        return malformed.sum();
    }

    @Override
    public void close() {
        if (pubSub != null) {
            pubSub.close();
        }
    }
}
