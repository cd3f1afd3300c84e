package io.tickstock.redis;

import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.tickstock.core.bus.DropOldestQueue;
import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Tick;
import io.tickstock.core.health.HealthContributor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every tick to the Redis channel (and optionally a stream) without ever blocking the caller.
 *
 * <p>Concurrency, in one place: {@link #accept} runs on feed I/O threads and only puts the event into a
 * bounded queue, dropping the oldest when full (counted). One publisher thread drains the queue in
 * batches, encodes each tick with {@link TickJson}, builds one {@code PUBLISH} (plus {@code XADD … MAXLEN ~})
 * per tick, hands the batch to Lettuce (on the connection's event loop) as one pipelined write with a
 * single flush, and settles the replies of earlier batches with a
 * bounded wait. While Redis is unreachable the thread stops draining, so the queue fills and its oldest
 * ticks are dropped; Lettuce rejects commands instead of buffering them and reconnects by itself.
 *
 * <p>Accounting is exact: every offered tick ends as published, dropped because the queue was full, or
 * dropped because Redis failed, rejected or did not answer in time; {@code offered = published +
 * dropped + queued + in flight} at every moment.
 */
public final class RedisTickPublisher implements TickSink, HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisTickPublisher.class);
    private static final byte[] STREAM_FIELD = "data".getBytes(StandardCharsets.US_ASCII);
    private static final long IDLE_POLL_MS = 50;
    private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

    private final RedisConnector connector;
    private final boolean ownsConnector;
    private final RedisConfig config;
    private final byte[] channel;
    private final byte[] stream;
    private final XAddArgs xaddArgs;
    private final byte[] publishHeader;
    private final long lingerNanos;
    private final DropOldestQueue<Tick> queue;
    private final LastValueHashes lastValues; // null: no last-value hashes
    private final Thread thread;

    // Written by the publisher thread only; volatile so the health snapshot reads fresh values.
    private volatile long published;
    private volatile long droppedRedis;
    private volatile long inFlight;
    private volatile long streamAppended;
    private volatile long streamFailed;
    private volatile long batches;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private volatile Executor eventLoop; // where batches are handed to Lettuce; null: from this thread
    private volatile boolean running = true;

    private RedisTickPublisher(RedisConnector connector, boolean ownsConnector, LastValueConfig lastValues) {
        this.connector = connector;
        this.lastValues = lastValues == null || !lastValues.enabled() ? null : new LastValueHashes(lastValues);
        this.ownsConnector = ownsConnector;
        this.config = connector.config();
        this.channel = config.tickChannel().getBytes(StandardCharsets.UTF_8);
        this.stream = config.tickStreamName().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.xaddArgs = new XAddArgs().maxlen(config.streamMaxLen()).approximateTrimming();
        this.publishHeader = PublishCommand.header(channel);
        this.lingerNanos = config.linger().toNanos();
        this.queue = new DropOldestQueue<>(config.queueCapacity());
        this.thread = new Thread(this::run, "tickstock-redis-publisher");
        thread.setDaemon(true);
    }

    /**
     * Starts a publisher with its own Lettuce client. Never blocks on Redis: when Redis is down at start,
     * ticks wait in the bounded queue (oldest dropped and counted) until it comes up. Close it to stop
     * the thread and the client.
     */
    public static RedisTickPublisher start(RedisConfig config) {
        return start(RedisConnector.createSingleThreaded(config), true, null);
    }

    /** Starts a publisher on a shared connector, which the caller closes after the publisher. */
    public static RedisTickPublisher start(RedisConnector connector) {
        return start(connector, false, null);
    }

    /**
     * Starts a publisher on a shared connector that also keeps the last-value hashes of
     * {@code lastValues} (when enabled) up to date, coalesced per batch in the same pipeline.
     */
    public static RedisTickPublisher start(RedisConnector connector, LastValueConfig lastValues) {
        return start(connector, false, lastValues);
    }

    private static RedisTickPublisher start(RedisConnector connector, boolean owns, LastValueConfig lastValues) {
        RedisTickPublisher p = new RedisTickPublisher(connector, owns, lastValues);
        LOG.info("Publishing ticks to Redis {} channel {}{}", connector.config().redactedUrl(),
                connector.config().tickChannel(),
                connector.config().tickStreamName().map(s -> " and stream " + s).orElse(""));
        p.thread.start();
        return p;
    }

    /** Never blocks: when the queue is full the oldest queued tick is dropped and counted. */
    @Override
    public void accept(MarketEvent event) {
        offer(event);
    }

    /** Like {@link #accept} for any tick (e.g. one re-published from elsewhere). */
    public void offer(Tick tick) {
        queue.offer(tick);
    }

    private void run() {
        TickJson.Encoder encoder = TickJson.encoder();
        List<Tick> batch = new ArrayList<>(config.batchSize());
        ArrayDeque<Batch> pending = new ArrayDeque<>();
        long lastConnectAttempt = 0;
        while (running) {
            try {
                StatefulRedisConnection<byte[], byte[]> conn = connection;
                if (conn == null) {
                    long now = System.nanoTime();
                    if (now - lastConnectAttempt < config.reconnectMaxDelay().toNanos() && lastConnectAttempt != 0) {
                        park(IDLE_POLL_MS);
                        continue;
                    }
                    lastConnectAttempt = now;
                    connect();
                    continue;
                }
                settleDone(pending);
                if (!conn.isOpen()) {
                    // Redis is away: leave ticks in the bounded queue (oldest dropped when full) and wait
                    // for Lettuce's reconnect instead of producing rejected commands.
                    eventLoop = null; // the new channel may live on another loop
                    settleAll(pending);
                    park(IDLE_POLL_MS);
                    continue;
                }
                Tick first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, config.batchSize() - 1);
                if (batch.size() < config.batchSize() && lingerNanos > 0) {
                    // A moment's wait turns a trickle into batches: far fewer writes, wake-ups and
                    // syscalls per tick at moderate rates, at the cost of at most the linger in latency.
                    LockSupport.parkNanos(lingerNanos);
                    queue.drainTo(batch, config.batchSize() - batch.size());
                }
                pending.add(send(conn, batch, encoder));
                batch.clear();
                while (pending.size() > config.maxBatchesInFlight()) {
                    settle(pending.poll());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // A bug or an unexpected Lettuce failure must not kill the publisher thread.
                recordError(e);
                LOG.warn("Redis publisher loop error: {}", connector.safeMessage(e));
                for (Tick ignored : batch) {
                    droppedRedis++;
                }
                batch.clear();
                park(IDLE_POLL_MS);
            }
        }
        settleAll(pending);
    }

    private void connect() {
        try {
            StatefulRedisConnection<byte[], byte[]> c = connector.connectBinary();
            // Auto-flush stays on: each batch is dispatched as one collection, so one write and one
            // flush per batch (setAutoFlushCommands(false) + flushCommands() would write per command).
            eventLoop = null; // learnt when the first batch is encoded
            connection = c;
            LOG.info("Redis publisher connected to {}", config.redactedUrl());
        } catch (RuntimeException e) {
            boolean first = lastError == null || !lastError.equals(connector.safeMessage(e));
            recordError(e);
            if (first) { // once per distinct failure, not once per retry
                LOG.warn("Redis publisher cannot connect to {} ({}); retrying, ticks wait in the queue "
                        + "(oldest dropped when full)", config.redactedUrl(), lastError);
            }
        }
    }

    /**
     * Builds one {@code PUBLISH} (and {@code XADD}) per tick and hands the whole batch to Lettuce as one
     * collection, which it writes and flushes once: a pipeline without a per-command write task.
     */
    private Batch send(StatefulRedisConnection<byte[], byte[]> conn, List<Tick> ticks, TickJson.Encoder encoder) {
        int n = ticks.size();
        CountDownLatch done = new CountDownLatch(1);
        PublishCommand[] pubs = new PublishCommand[n];
        @SuppressWarnings({"unchecked", "rawtypes"})
        AsyncCommand<byte[], byte[], String>[] adds = stream == null ? null : new AsyncCommand[n];
        List<RedisCommand<byte[], byte[], ?>> commands = new ArrayList<>(adds == null ? n : 2 * n);
        Executor loop = eventLoop;
        // Batches handed over on the channel's own event loop spare Netty one queued task per command;
        // until that loop is known (and from any other thread) writes are merely slower.
        Runnable learnLoop = loop == null ? () -> connector.currentEventLoop().ifPresent(l -> eventLoop = l) : null;
        byte[][] messages = new byte[n][];
        for (int i = 0; i < n; i++) {
            messages[i] = encoder.encode(ticks.get(i));
        }
        if (lastValues != null) { // before the PUBLISHes: see LastValueHashes
            lastValues.addCommands(ticks, messages, commands);
        }
        for (int i = 0; i < n; i++) {
            byte[] json = messages[i];
            pubs[i] = new PublishCommand(publishHeader, json, i == n - 1 ? done : null, i == 0 ? learnLoop : null);
            commands.add(pubs[i]);
            if (adds != null) {
                CommandArgs<byte[], byte[]> args = new CommandArgs<>(CODEC).addKey(stream);
                xaddArgs.build(args); // MAXLEN ~ <n> *
                adds[i] = new AsyncCommand<>(new Command<>(CommandType.XADD, new StatusOutput<>(CODEC),
                        args.addKey(STREAM_FIELD).addValue(json)));
                commands.add(adds[i]);
            }
        }
        if (loop == null) {
            dispatch(conn, commands);
        } else {
            try {
                loop.execute(() -> dispatch(conn, commands));
            } catch (RuntimeException e) { // event loop shut down
                failAll(commands, e);
            }
        }
        inFlight += n;
        batches++;
        return new Batch(pubs, done, adds, System.nanoTime() + config.commandTimeout().toNanos());
    }

    private static void dispatch(StatefulRedisConnection<byte[], byte[]> conn,
                                 List<RedisCommand<byte[], byte[], ?>> commands) {
        try {
            conn.dispatch(commands);
        } catch (RuntimeException e) {
            failAll(commands, e); // rejected as a whole (e.g. disconnected): settle() counts them as dropped
        }
    }

    private static void failAll(List<RedisCommand<byte[], byte[], ?>> commands, RuntimeException e) {
        for (RedisCommand<byte[], byte[], ?> c : commands) {
            c.completeExceptionally(e);
        }
    }

    private void settleDone(ArrayDeque<Batch> pending) {
        while (!pending.isEmpty() && pending.peek().lastDone()) {
            settle(pending.poll());
        }
    }

    private void settleAll(ArrayDeque<Batch> pending) {
        while (!pending.isEmpty()) {
            settle(pending.poll());
        }
    }

    /** Waits for a batch's replies until its deadline, then counts each tick exactly once. */
    private void settle(Batch b) {
        try {
            b.done.await(Math.max(0, b.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long ok = 0;
        long failed = 0;
        for (PublishCommand c : b.publishes) {
            if (c.state() == PublishCommand.PENDING && c.cancelIfPending()) {
                failed++;
                recordError("no reply from Redis within " + config.commandTimeout());
            } else if (c.state() == PublishCommand.OK) {
                ok++;
            } else {
                failed++;
                recordError(c.error());
            }
        }
        if (b.appends != null) {
            long sOk = 0;
            for (AsyncCommand<byte[], byte[], String> f : b.appends) {
                if (await(f, b.deadline)) {
                    sOk++;
                }
            }
            streamAppended += sOk;
            streamFailed += b.appends.length - sOk;
        }
        published += ok;
        droppedRedis += failed;
        inFlight -= b.publishes.length;
    }

    /** True when the command succeeded; a command still unanswered at the deadline is cancelled. */
    private boolean await(CompletableFuture<?> cf, long deadline) {
        try {
            if (!cf.isDone()) {
                long wait = deadline - System.nanoTime();
                cf.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
            }
            cf.join();
            return true;
        } catch (TimeoutException e) {
            if (cf.cancel(false)) {
                recordError(new TimeoutException("no reply from Redis within " + config.commandTimeout()));
                return false;
            }
            return !cf.isCompletedExceptionally();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cf.cancel(false);
            return !cf.isCompletedExceptionally() && !cf.isCancelled();
        } catch (ExecutionException | CompletionException | CancellationException e) {
            recordError(e.getCause() == null ? e : e.getCause());
            return false;
        }
    }

    private void recordError(Throwable e) {
        lastError = connector.safeMessage(e);
        lastErrorAt = Instant.now();
    }

    private void recordError(String message) {
        lastError = connector.safeText(message == null ? "unknown error" : message);
        lastErrorAt = Instant.now();
    }

    private static void park(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** Ticks offered so far. */
    public long offered() {
        return queue.offered();
    }

    /** Ticks Redis acknowledged on the channel. */
    public long published() {
        return published;
    }

    /** Ticks dropped: queue overflow plus Redis failures, rejections and time-outs. */
    public long dropped() {
        return queue.dropped() + droppedRedis;
    }

    public long droppedQueueFull() {
        return queue.dropped();
    }

    public long droppedRedis() {
        return droppedRedis;
    }

    public int queueDepth() {
        return queue.size();
    }

    /** Stream entries Redis acknowledged (0 without a stream). */
    public long streamAppended() {
        return streamAppended;
    }

    /** Whether batches are handed over on the connection's own event loop (learnt from the first batch). */
    boolean dispatchesOnEventLoop() {
        return eventLoop != null;
    }

    public boolean isConnected() {
        StatefulRedisConnection<byte[], byte[]> c = connection;
        return c != null && c.isOpen();
    }

    public String lastError() {
        return lastError;
    }

    @Override
    public String healthName() {
        return "redis_publisher";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("redis_connected", isConnected());
        m.put("url", config.redactedUrl());
        m.put("channel", config.tickChannel());
        m.put("stream", config.tickStream());
        m.put("offered", offered());
        m.put("published", published);
        m.put("dropped", dropped());
        m.put("dropped_queue_full", droppedQueueFull());
        m.put("dropped_redis", droppedRedis);
        m.put("queue_depth", queueDepth());
        m.put("queue_capacity", config.queueCapacity());
        m.put("in_flight", inFlight);
        m.put("batches", batches);
        if (stream != null) {
            m.put("stream_appended", streamAppended);
            m.put("stream_failed", streamFailed);
        }
        if (lastValues != null) {
            lastValues.putHealth(m);
        }
        m.put("last_error", lastError);
        Instant at = lastErrorAt;
        m.put("last_error_time", at == null ? null : at.toEpochMilli() / 1000.0);
        return m;
    }

    /**
     * Stops accepting work, gives queued ticks one command timeout to go out, counts the rest as
     * dropped, and closes the connection (and the client, when this publisher created it).
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + config.commandTimeout().toNanos();
        while (!queue.isEmpty() && isConnected() && System.nanoTime() < deadline) {
            park(10);
        }
        running = false;
        try {
            thread.join(config.commandTimeout().toMillis() * 2 + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) { // the publisher thread has stopped: this is the only writer now
            while (queue.poll() != null) {
                droppedRedis++;
            }
        }
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        if (ownsConnector) {
            connector.close();
        }
        LOG.info("Redis publisher stopped: published {}, dropped {}", published, dropped());
    }

    /** One flushed batch: its commands in send order; {@code done} opens when the last PUBLISH is settled. */
    private record Batch(PublishCommand[] publishes, CountDownLatch done, AsyncCommand<byte[], byte[], String>[] appends,
                         long deadline) {
        boolean lastDone() {
            return done.getCount() == 0 && (appends == null || appends[appends.length - 1].isDone());
        }
    }
}
