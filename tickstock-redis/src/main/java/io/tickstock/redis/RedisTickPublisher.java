package io.tickstock.redis;

import io.tickstock.core.internal.health.EpochSeconds;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.tickstock.core.bus.IngestGate;
import io.tickstock.core.bus.TickSink;
import io.tickstock.core.internal.bus.DropOldestQueue;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Tick;
import io.tickstock.core.event.Trade;
import io.tickstock.core.health.HealthContributor;
import java.nio.charset.StandardCharsets;
import io.tickstock.core.internal.log.LogThrottle;
import java.time.Duration;
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
 * bounded lock-free queue ({@link DropOldestQueue}); when it is full the oldest tick is dropped (counted).
 * One publisher thread takes the ticks in batches, writes the whole batch's JSON messages into one
 * reused array ({@link MessageBatch}), builds over it either one {@code EVALSHA} of the {@link PublishScript}
 * for the whole batch ({@link PublishMode#SCRIPT}: one command and one reply per batch) or one light
 * {@code PUBLISH} per tick ({@link PublishMode#COMMANDS}, and the fallback when Redis refuses scripting),
 * plus one {@code XADD … MAXLEN ~} per tick with a stream, hands the batch to Lettuce (on the connection's
 * event loop) as one pipelined write with a single flush, and settles a batch once Lettuce has released
 * every one of its commands. While Redis is unreachable or stalled the thread stops taking ticks, so the queue fills
 * and its oldest ticks are dropped; Lettuce rejects commands instead of buffering them and reconnects by itself.
 *
 * <p>With an {@link IngestGate} ({@link #ingestGate}) a full queue is the last resort: when the queue is
 * half full the publisher holds the gate, the feeds stop reading (the feed server keeps the
 * burst), and it releases the gate once the queue is down to a quarter. A hold lasts at most the gate's
 * maximum pause; a publisher that has not drained by then (Redis down or stalled) lets the feeds read
 * again and drops the oldest ticks as without a gate, until it has drained. Nor does it hold the gate
 * while the feeds are already {@code REDIS_PUBLISH_MAX_LAG} behind the market (per connection the smallest
 * delay from a trade's or quote's own time to its receipt, sampled once in 64 ticks over 100 ms, and of
 * those the largest): pause after pause under a rate Redis cannot take would otherwise let the delay
 * grow until the feed server cuts the connection and loses its backlog uncounted; beyond the bound ticks are dropped and counted instead,
 * and the gate is held again once the delay is back under half the bound.
 *
 * <p>In-flight accounting matches what Lettuce holds: a command stays in flight from its hand-over until
 * Lettuce completes, fails or cancels it, even when Redis has not answered within the command timeout (a
 * stalled Redis keeps the socket open, and Lettuce keeps the command on its stack until the reply comes
 * or the connection drops). At most {@code batch size x max batches in flight} ticks are ever in flight,
 * which the configuration keeps within Lettuce's request queue, so a stall of any length never makes
 * Lettuce reject a command: it costs one bounded queue whose overflow is counted, and a few log lines a
 * minute.
 *
 * <p>Accounting is exact: every offered tick ends as published, dropped because the queue was full, or
 * dropped because Redis failed or rejected it (or the publisher closed before Redis answered);
 * {@code offered = published + dropped + queued + in flight} at every moment.
 */
public final class RedisTickPublisher implements TickSink<MarketEvent>, HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisTickPublisher.class);
    private static final byte[] STREAM_FIELD = "data".getBytes(StandardCharsets.US_ASCII);
    private static final long IDLE_POLL_MS = 50;
    private static final long LAG_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long CLOSING_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration STALL_LOG_INTERVAL = Duration.ofMinutes(1);
    private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

    private final RedisConnector connector;
    private final boolean ownsConnector;
    private final RedisConfig config;
    private final byte[] channel;
    private final byte[] stream;
    private final XAddArgs xaddArgs;
    private final byte[] publishHeader;
    private final byte[] scriptHeader;
    private final long lingerNanos;
    private final DropOldestQueue<Tick> queue;
    /** Queue depths at which the gate is held and released. */
    private final int holdAt;
    private final int releaseAt;
    private volatile IngestGate gate; // null: the feeds are never paused
    private final long maxLagMillis;
    private final FeedLag feedLag = new FeedLag();
    private volatile long feedLagMillis = -1; // the last window's delay; -1: none sampled yet
    private volatile boolean behindMarket; // written by the publisher thread, read by feed threads
    private long lagWindowStart; // publisher thread
    private final String sourceLabel; // null: each tick's own source
    private final LastValueHashes lastValues; // null: no last-value hashes
    private final Thread thread;
    // Message arrays of settled batches, for the next ones (publisher thread only; at most one per slot in flight).
    private final ArrayDeque<MessageBatch> freeMessages = new ArrayDeque<>();

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
    private volatile boolean scripting; // this connection publishes batches by script (else PUBLISH per tick)
    /** Times this connection loaded the script again after a "no such script" (publisher thread). */
    private int scriptReloads;
    private volatile boolean running = true;
    private volatile boolean closing; // close() waits for the queue: connect now, without backoff
    private volatile boolean everConnected;
    // Stall bookkeeping, publisher thread only (stalledSinceNanos is read by the health snapshot).
    private volatile long stalledSinceNanos; // 0: not stalled
    private long droppedAtStallStart;
    private LogThrottle stallLog;
    private final LogThrottle loopErrorLog = LogThrottle.every(Duration.ofSeconds(10));

    private RedisTickPublisher(RedisConnector connector, boolean ownsConnector, String sourceLabel,
                               LastValueConfig lastValues) {
        this.connector = connector;
        this.sourceLabel = sourceLabel;
        this.lastValues = lastValues == null || !lastValues.enabled() ? null : new LastValueHashes(lastValues);
        this.ownsConnector = ownsConnector;
        this.config = connector.config();
        this.channel = config.tickChannel().getBytes(StandardCharsets.UTF_8);
        this.stream = config.tickStreamName().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.xaddArgs = new XAddArgs().maxlen(config.streamMaxLen()).approximateTrimming();
        this.publishHeader = PublishCommand.header(channel);
        this.scriptHeader = PublishScript.header(channel);
        this.lingerNanos = config.linger().toNanos();
        this.queue = new DropOldestQueue<>(config.queueCapacity());
        // Held at half full: the other half takes what the connections have read already when they
        // pause (the rest of a frame and of a socket read, up to ~1,000 ticks per connection).
        this.holdAt = Math.max(1, config.queueCapacity() / 2);
        this.releaseAt = config.queueCapacity() / 4;
        this.maxLagMillis = config.maxLag().toMillis();
        this.thread = new Thread(this::run, "tickstock-redis-publisher");
        thread.setDaemon(true);
    }

    /**
     * Starts a publisher with its own Lettuce client. Never blocks on Redis: when Redis is down at start,
     * ticks wait in the bounded queue (oldest dropped and counted) until it comes up. Close it to stop
     * the thread and the client.
     */
    public static RedisTickPublisher start(RedisConfig config) {
        return start(config, null);
    }

    /** Like {@link #start(RedisConfig)}, every message labelled {@code "source":sourceLabel}; null: the tick's own. */
    public static RedisTickPublisher start(RedisConfig config, String sourceLabel) {
        return start(RedisConnector.createSingleThreaded(config), true, sourceLabel, null);
    }

    /** Starts a publisher on a shared connector, which the caller closes after the publisher. */
    public static RedisTickPublisher start(RedisConnector connector) {
        return start(connector, false, null, null);
    }

    /**
     * Like {@link #start(RedisConnector)}, every message labelled {@code "source":sourceLabel} (e.g.
     * {@link TickJson#DEMO_SOURCE} for synthetic data); null keeps each tick's own source.
     */
    public static RedisTickPublisher start(RedisConnector connector, String sourceLabel) {
        return start(connector, false, sourceLabel, null);
    }

    /**
     * Starts a publisher on a shared connector that also keeps the last-value hashes of
     * {@code lastValues} (when enabled) up to date, coalesced per batch in the same pipeline.
     */
    public static RedisTickPublisher start(RedisConnector connector, LastValueConfig lastValues) {
        return start(connector, false, null, lastValues);
    }

    /**
     * Starts a publisher on a shared connector with both a source label (null: each tick's own) and
     * the last-value hashes of {@code lastValues} (null or disabled: none).
     */
    public static RedisTickPublisher start(RedisConnector connector, String sourceLabel, LastValueConfig lastValues) {
        return start(connector, false, sourceLabel, lastValues);
    }

    private static RedisTickPublisher start(RedisConnector connector, boolean owns, String sourceLabel,
                                            LastValueConfig lastValues) {
        RedisTickPublisher p = new RedisTickPublisher(connector, owns, sourceLabel, lastValues);
        LOG.info("Publishing ticks to Redis {} channel {}{} ({} {})", connector.config().redactedUrl(),
                connector.config().tickChannel(),
                connector.config().tickStreamName().map(s -> " and stream " + s).orElse(""), PublishMode.KEY,
                connector.config().publishMode().configName());
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
        IngestGate g = gate;
        // the depth reads the consumer's counter (another core's cache line): look once in 64 ticks,
        // a step far smaller than the half of the queue that is left when the gate is held
        if (g != null && (queue.offered() & 63) == 0) {
            sampleLag(tick);
            if (!behindMarket && queue.size() >= holdAt) {
                hold(g);
            }
        }
    }

    /** Feed threads: the delay from a trade's or quote's own time to its receipt (aggregates are minutes old by design). */
    private void sampleLag(Tick tick) {
        if (tick instanceof Trade || tick instanceof Quote) {
            feedLag.record(tick.connectionId(), ((MarketEvent) tick).receivedAt() - tick.timestamp());
        }
    }

    /**
     * Holds {@code g} unless it was detached meanwhile ({@link #close}, {@link #ingestGate}): a hold that
     * lands just after the detach's release is undone here, since nobody would release it any more.
     */
    private void hold(IngestGate g) {
        g.hold();
        if (gate != g) {
            g.release();
        }
    }

    /**
     * Holds {@code gate} while the queue is half full or more, so the feeds wait instead of this publisher
     * dropping ticks, for at most the gate's maximum pause (see the class comment); null: never. The
     * gate is released when this publisher closes.
     */
    public RedisTickPublisher ingestGate(IngestGate gate) {
        IngestGate old = this.gate;
        this.gate = gate;
        if (old != null && old != gate) {
            old.release();
        }
        return this;
    }

    /** Publisher thread, once a round: holds or releases the gate by the queue's depth and the feed's delay. */
    private void steerGate() {
        IngestGate g = gate;
        if (g == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lagWindowStart >= LAG_WINDOW_NANOS) {
            lagWindowStart = now;
            long lag = feedLag.closeWindow();
            if (lag != FeedLag.NO_SAMPLE) { // no trade or quote this window: keep the last verdict
                feedLagMillis = lag;
                behindMarket = lag > (behindMarket ? maxLagMillis / 2 : maxLagMillis);
            }
        }
        int depth = queue.size();
        if (behindMarket || depth <= releaseAt) {
            g.release();
        } else if (depth >= holdAt) {
            hold(g);
        }
    }

    private void run() {
        Tick[] batch = new Tick[config.batchSize()];
        int size = 0;
        ArrayDeque<Batch> pending = new ArrayDeque<>();
        long lastConnectAttempt = 0;
        while (running) {
            try {
                steerGate();
                StatefulRedisConnection<byte[], byte[]> conn = connection;
                if (conn == null) {
                    long now = System.nanoTime();
                    // Closing: try again soon, the queue has only the close's bounded wait left.
                    long retryNanos = closing ? Math.min(CLOSING_RETRY_NANOS, config.reconnectMaxDelay().toNanos())
                            : config.reconnectMaxDelay().toNanos();
                    if (now - lastConnectAttempt < retryNanos && lastConnectAttempt != 0) {
                        park(IDLE_POLL_MS);
                        continue;
                    }
                    lastConnectAttempt = now;
                    connect();
                    continue;
                }
                settleDone(pending);
                watchStall(pending.peek());
                if (!conn.isOpen()) {
                    // Redis is away: leave ticks in the bounded queue (oldest dropped when full) and wait
                    // for Lettuce's reconnect instead of producing rejected commands. Commands already
                    // handed over stay in flight until Lettuce fails or re-sends them.
                    eventLoop = null; // the new channel may live on another loop
                    park(IDLE_POLL_MS);
                    continue;
                }
                if (pending.size() >= config.maxBatchesInFlight()) {
                    // Every slot is taken by commands Lettuce still holds: wait for the oldest batch
                    // rather than hand over more than Lettuce's request queue may hold.
                    pending.peek().done.await(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                    continue;
                }
                Tick first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch[0] = first;
                size = drain(batch, 1);
                if (size < batch.length && lingerNanos > 0) {
                    // A moment's wait turns a trickle into batches: far fewer writes, wake-ups and
                    // syscalls per tick at moderate rates, at the cost of at most the linger in latency.
                    LockSupport.parkNanos(lingerNanos);
                    size = drain(batch, size);
                }
                pending.add(send(conn, batch, size));
                java.util.Arrays.fill(batch, 0, size, null); // the ticks are garbage once encoded
                size = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // A bug or an unexpected Lettuce failure must not kill the publisher thread.
                recordError(e);
                long skipped = loopErrorLog.tryAcquire();
                if (skipped >= 0) { // a fault that repeats every round must not flood the log
                    LOG.warn("Redis publisher loop error: {}{}", connector.safeMessage(e),
                            skipped == 0 ? "" : " (" + skipped + " more since the last report)");
                }
                droppedRedis += size; // taken from the hand-over and not in flight
                java.util.Arrays.fill(batch, 0, size, null);
                size = 0;
                park(IDLE_POLL_MS);
            }
        }
        settleAll(pending);
    }

    /** Fills {@code batch} from {@code from} with what the queue holds; returns the batch's new size. */
    private int drain(Tick[] batch, int from) {
        int n = from;
        Tick t;
        while (n < batch.length && (t = queue.poll()) != null) {
            batch[n++] = t;
        }
        return n;
    }

    /**
     * Notices when the oldest batch in flight has had no answer within the command timeout: one warning
     * when the stall begins, one summary a minute while it lasts, one line when Redis answers again.
     */
    private void watchStall(Batch oldest) {
        long now = System.nanoTime();
        boolean stalled = oldest != null && now - oldest.deadline > 0;
        if (stalled && stalledSinceNanos == 0) {
            stalledSinceNanos = oldest.deadline - config.commandTimeout().toNanos();
            droppedAtStallStart = dropped();
            stallLog = LogThrottle.every(STALL_LOG_INTERVAL);
            stallLog.tryAcquire();
            recordError("no reply from Redis within " + config.commandTimeout());
            LOG.warn("Redis {} has not answered for {} ms: {} ticks in flight, publishing paused; new ticks wait "
                    + "in the queue (oldest dropped when full)", config.redactedUrl(),
                    TimeUnit.NANOSECONDS.toMillis(now - stalledSinceNanos), inFlight);
        } else if (stalled && stallLog.tryAcquire() >= 0) {
            LOG.warn("Redis {} still not answering after {} s: {} ticks dropped since the stall began, {} in "
                    + "flight, {} queued", config.redactedUrl(), TimeUnit.NANOSECONDS.toSeconds(now - stalledSinceNanos),
                    dropped() - droppedAtStallStart, inFlight, queue.size());
        } else if (!stalled && stalledSinceNanos != 0) {
            LOG.info("Redis {} answering again after a {} ms stall; {} ticks dropped during it",
                    config.redactedUrl(), TimeUnit.NANOSECONDS.toMillis(now - stalledSinceNanos),
                    dropped() - droppedAtStallStart);
            stalledSinceNanos = 0;
        }
    }

    private void connect() {
        try {
            StatefulRedisConnection<byte[], byte[]> c = connector.connectBinary();
            // Auto-flush stays on: each batch is dispatched as one collection, so one write and one
            // flush per batch (setAutoFlushCommands(false) + flushCommands() would write per command).
            eventLoop = null; // learnt when the first batch is encoded
            scripting = config.publishMode() == PublishMode.SCRIPT && loadScript(c);
            scriptReloads = 0;
            connection = c;
            everConnected = true;
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
     * Loads the publish script (publisher thread; waits at most the command timeout). False when Redis
     * refuses scripting: then this connection publishes one {@code PUBLISH} per tick. Any other failure
     * (a time-out, a lost connection) keeps scripting on: the first batch's {@code NOSCRIPT} loads it again.
     */
    private boolean loadScript(StatefulRedisConnection<byte[], byte[]> c) {
        try {
            c.sync().scriptLoad(PublishScript.SOURCE.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (RedisCommandExecutionException e) {
            recordError(e);
            LOG.warn("Redis {} refuses scripting ({}): publishing one PUBLISH per tick on this connection instead; "
                    + "set {}=commands to skip the attempt", config.redactedUrl(), lastError, PublishMode.KEY);
            return false;
        } catch (RuntimeException e) {
            recordError(e);
            return true;
        }
    }

    /**
     * Writes the batch's messages into one reused array, builds over it the batch's publish commands (one
     * script call, or one {@code PUBLISH} per tick) and one {@code XADD} per tick with a stream, and hands
     * the whole batch to Lettuce as one collection, which it flushes once: a pipeline without a
     * per-command write task or a per-tick array.
     */
    private Batch send(StatefulRedisConnection<byte[], byte[]> conn, Tick[] ticks, int n) {
        MessageBatch messages = freeMessages.isEmpty()
                ? new MessageBatch(config.batchSize(), sourceLabel) : freeMessages.pop();
        for (int i = 0; i < n; i++) {
            messages.add(ticks[i]);
        }
        CountDownLatch done = new CountDownLatch(1);
        @SuppressWarnings({"unchecked", "rawtypes"})
        AsyncCommand<byte[], byte[], String>[] adds = stream == null ? null : new AsyncCommand[n];
        List<RedisCommand<byte[], byte[], ?>> commands = new ArrayList<>(
                (adds == null ? n : 2 * n) + LastValueHashes.commandsPerBatch());
        Executor loop = eventLoop;
        // Batches handed over on the channel's own event loop spare Netty one queued task per command;
        // until that loop is known (and from any other thread) writes are merely slower.
        Runnable learnLoop = loop == null ? () -> connector.currentEventLoop().ifPresent(l -> eventLoop = l) : null;
        if (lastValues != null) { // before the PUBLISHes: see LastValueHashes
            lastValues.addCommands(ticks, messages, commands);
        }
        PublishCommand[] pubs = publishes(messages, done, learnLoop, adds == null ? commands : null);
        if (adds != null) {
            boolean perTick = pubs.length == n; // each PUBLISH followed by its XADD, as the ticks came
            for (int i = 0; i < n; i++) {
                if (perTick || i == 0) {
                    commands.add(pubs[perTick ? i : 0]);
                }
                CommandArgs<byte[], byte[]> args = new CommandArgs<>(CODEC).addKey(stream);
                xaddArgs.build(args); // MAXLEN ~ <n> *
                adds[i] = new AsyncCommand<>(new Command<>(CommandType.XADD, new StatusOutput<>(CODEC),
                        args.addKey(STREAM_FIELD).addValue(messages.copy(i))));
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
        return new Batch(pubs, done, adds, System.nanoTime() + config.commandTimeout().toNanos(), messages, false,
                scriptReloads);
    }

    /**
     * The publish commands of a batch over {@code messages}: one script call, or one {@code PUBLISH} per
     * message; the last one opens {@code done}. Added to {@code out} in order when it is not null.
     */
    private PublishCommand[] publishes(MessageBatch messages, CountDownLatch done, Runnable learnLoop,
                                       List<RedisCommand<byte[], byte[], ?>> out) {
        var replies = PublishCommand.replies();
        PublishCommand[] pubs;
        if (scripting) {
            pubs = new PublishCommand[] {
                PublishCommand.script(scriptHeader, PublishScript.HEADER_ARGS, messages, done, learnLoop, replies)};
        } else {
            int n = messages.count();
            byte[] bytes = messages.bytes();
            pubs = new PublishCommand[n];
            for (int i = 0; i < n; i++) {
                int from = messages.start(i);
                pubs[i] = new PublishCommand(publishHeader, bytes, from, messages.end(i) - from,
                        i == n - 1 ? done : null, i == 0 ? learnLoop : null, replies);
            }
        }
        if (out != null) {
            java.util.Collections.addAll(out, pubs);
        }
        return pubs;
    }

    /**
     * When Redis answered a batch's script call with "no such script" (restarted, flushed) or refused
     * scripting: nothing of it ran, so it is sent again after loading the script again or falling back to
     * one {@code PUBLISH} per tick for the life of the connection (also when the script goes missing again
     * after it was loaded again). Null when not such a batch.
     */
    private Batch resendIfScriptFailed(Batch b) {
        PublishCommand c = b.publishes[0];
        StatefulRedisConnection<byte[], byte[]> conn = connection;
        if (!c.isScript() || c.state() != PublishCommand.FAILED || conn == null) {
            return null;
        }
        boolean missing = PublishScript.isMissing(c.error());
        // a resent script call that misses the script again goes out once more, as PUBLISHes (below)
        if (b.resent && !missing) {
            return null;
        }
        if (PublishScript.isRefused(c.error())) {
            if (scripting) {
                scripting = false;
                LOG.warn("Redis {} refuses the publish script ({}): publishing one PUBLISH per tick on this "
                        + "connection instead; set {}=commands to skip the attempt", config.redactedUrl(),
                        connector.safeText(c.error()), PublishMode.KEY);
            }
        } else if (missing) {
            if (scripting && b.scriptReloads() > 0 && b.scriptReloads() == scriptReloads) {
                // Sent after the script was loaded again, yet missing again (e.g. a proxy that sends the load
                // and the calls to different servers): resending by script could lose every batch.
                scripting = false;
                LOG.warn("Redis {} lost the publish script again after it was loaded: publishing one PUBLISH "
                        + "per tick on this connection instead; set {}=commands to skip the attempt",
                        config.redactedUrl(), PublishMode.KEY);
            } else if (scripting && b.scriptReloads() == scriptReloads) {
                scripting = loadScript(conn);
                scriptReloads++;
            } // else sent before the latest load: resent by script as it is
        } else {
            return null;
        }
        CountDownLatch done = new CountDownLatch(1);
        List<RedisCommand<byte[], byte[], ?>> commands = new ArrayList<>();
        PublishCommand[] pubs = publishes(b.messages, done, null, commands);
        dispatch(conn, commands); // queued on the event loop behind every batch already handed over
        return new Batch(pubs, done, null, System.nanoTime() + config.commandTimeout().toNanos(), b.messages, true,
                scriptReloads);
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
            if (settle(pending.poll())) {
                // The batches behind a resent one went out before it: settle (and resend) them too before
                // any new batch, so that the channel keeps the ticks' order.
                settleAll(pending);
            }
        }
    }

    private void settleAll(ArrayDeque<Batch> pending) {
        while (!pending.isEmpty()) {
            settle(pending.poll());
        }
    }

    /**
     * Counts each tick of a batch exactly once. Called when Lettuce has released the whole batch, or when
     * the publisher stops: then it waits until the batch's deadline and cancels what is still unanswered.
     * Returns true when the batch's script call had to be sent again (and has been settled).
     */
    private boolean settle(Batch b) {
        try {
            b.done.await(Math.max(0, b.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Batch again = resendIfScriptFailed(b);
        if (again != null) {
            countAppends(b);
            settle(again);
            return true;
        }
        long ok = 0;
        long failed = 0;
        for (PublishCommand c : b.publishes) {
            if (c.state() == PublishCommand.PENDING && c.cancelIfPending()) {
                failed += c.ticks();
                recordError("no reply from Redis within " + config.commandTimeout() + " before close");
            } else if (c.state() == PublishCommand.OK) {
                ok += c.ticks();
            } else {
                failed += c.ticks();
                recordError(c.error() == null ? "the connection to Redis was lost before the reply" : c.error());
            }
        }
        countAppends(b);
        published += ok;
        droppedRedis += failed;
        inFlight -= ok + failed;
        // Reuse the messages' array only when Redis answered every PUBLISH: then Lettuce has written them
        // all and holds none any more (a cancelled or failed one might still be re-sent after a reconnect).
        if (failed == 0 && freeMessages.size() < config.maxBatchesInFlight()) {
            b.messages.clear();
            freeMessages.push(b.messages);
        }
        return false;
    }

    private void countAppends(Batch b) {
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

    /** Ticks dropped because the queue was full. */
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
        long stalledSince = stalledSinceNanos;
        m.put("stalled", stalledSince != 0);
        m.put("stalled_seconds", stalledSince == 0 ? 0 : TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stalledSince));
        m.put("batches", batches);
        if (gate != null) {
            m.put("feed_lag_ms", feedLagMillis);
            m.put("behind_market", behindMarket);
        }
        // before the first connection: the configured mode; then the one in use (commands after a fallback)
        PublishMode mode = connection == null ? config.publishMode() : scripting ? PublishMode.SCRIPT : PublishMode.COMMANDS;
        m.put("publish_mode", mode.configName());
        if (stream != null) {
            m.put("stream_appended", streamAppended);
            m.put("stream_failed", streamFailed);
        }
        if (lastValues != null) {
            lastValues.putHealth(m);
        }
        m.put("last_error", lastError);
        Instant at = lastErrorAt;
        m.put("last_error_time", EpochSeconds.of(at));
        return m;
    }

    /**
     * Flushes and stops. Queued ticks get a bounded time to go out: one connect timeout when the
     * connection is not up yet (a connect in progress, or one more attempt at once), plus one command
     * timeout for the replies. What is still queued or unanswered then is counted as dropped, and the
     * log says whether Redis was ever reached. Closes the connection (and the client, when this
     * publisher created it).
     */
    @Override
    public void close() {
        closing = true;
        IngestGate g = gate;
        gate = null; // the feeds read on while the last ticks go out: nothing waits for this publisher any more
        if (g != null) {
            g.release();
        }
        long deadline = System.nanoTime() + config.commandTimeout().toNanos()
                + (isConnected() ? 0 : config.connectTimeout().toNanos());
        while ((!queue.isEmpty() || inFlight > 0) && System.nanoTime() < deadline) {
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
        if (everConnected) {
            LOG.info("Redis publisher stopped: published {}, dropped {}", published, dropped());
        } else {
            LOG.warn("Redis publisher stopped without ever reaching Redis {} ({}): published {}, dropped {}",
                    config.redactedUrl(), lastError == null ? "no connection within the connect timeout" : lastError,
                    published, dropped());
        }
    }

    /** Whether a connection to Redis was established at least once. */
    public boolean everConnected() {
        return everConnected;
    }

    /** Ticks handed to Lettuce and not yet released by it (answered, failed or cancelled). */
    public long inFlight() {
        return inFlight;
    }

    /** Whether the oldest tick in flight has waited longer than the command timeout for Redis. */
    public boolean isStalled() {
        return stalledSinceNanos != 0;
    }

    /** Whether batches go out as one script call each (learnt per connection: false after a fallback). */
    boolean publishesByScript() {
        return scripting;
    }

    /**
     * One flushed batch: its publish commands in send order; {@code done} opens when the last is settled;
     * {@code resent}: this is the second sending of a batch whose script call failed.
     */
    private record Batch(PublishCommand[] publishes, CountDownLatch done, AsyncCommand<byte[], byte[], String>[] appends,
                         long deadline, MessageBatch messages, boolean resent, int scriptReloads) {
        boolean lastDone() {
            return done.getCount() == 0 && (appends == null || appends[appends.length - 1].isDone());
        }
    }
}
