package io.tickstock.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.tickstock.core.event.EventType;
import io.tickstock.core.capture.CaptureFiles;
import io.tickstock.core.capture.CaptureReader;
import io.tickstock.core.capture.CapturedFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * The emulator's second source of data: a captured journal served instead of synthetic data, to any
 * client, through the emulator's own control plane (auth, acks, fan-out by subscription, batching).
 *
 * <p>A reader thread merges the capture's files (all connections) by receive time, keeps the data
 * events of each frame byte for byte (status messages are the emulator's own), drops the copy of an
 * event that a second connection also received (redundant tickers), and hands frames over through a
 * bounded queue. On the event loop, each frame is released when it is due: receive-time offset
 * divided by the speed, or as fast as the subscribers read at speed 0 ({@code max}). Replay begins
 * once {@link ReplayOptions#startAfterSessions()} connections have subscribed and stayed unchanged
 * for {@value #SETTLE_MILLIS} ms.
 */
public final class ReplayMarket {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayMarket.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    static final long SETTLE_MILLIS = 300;
    private static final int MAX_EVENTS_PER_TICK = 50_000;
    private static final int DEDUP_WINDOW = 1 << 16;

    /** One captured frame's data events, as slices of its bytes. */
    private record Frame(long receivedAt, byte[] bytes, int[] starts, int[] lengths, String[] tickers,
                         EventType[] types) {
    }

    private final EventLoop loop;
    private final ReplayOptions options;
    private final Supplier<Collection<EmulatorSession>> sessions;
    private final int batchSize;
    private final int maxFrameBytes;
    private final ArrayBlockingQueue<Frame> frames = new ArrayBlockingQueue<>(1_024);
    private final Thread reader;
    private final ConcurrentHashMap<String, AtomicLongArray> sentPerTicker = new ConcurrentHashMap<>();
    private final AtomicLong eventsReplayed = new AtomicLong();
    private final AtomicLong duplicatesSkipped = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile boolean readerDone;
    private volatile boolean finished;
    private volatile boolean started;
    private volatile boolean stopped;

    // event loop only
    private ScheduledFuture<?> timer;
    private long readySinceNanos = -1;
    private int readySignature;
    private long wallStartNanos;
    private long captureStartMillis = Long.MIN_VALUE;
    private Frame pending;

    ReplayMarket(EventLoop loop, ReplayOptions options, Supplier<Collection<EmulatorSession>> sessions, int batchSize,
                 int maxFrameBytes) {
        this.loop = loop;
        this.options = options;
        this.sessions = sessions;
        this.batchSize = batchSize;
        this.maxFrameBytes = maxFrameBytes;
        this.reader = new Thread(this::read, "massive-emulator-replay-reader");
        reader.setDaemon(true);
    }

    /** Checks the source before anything starts. */
    static void check(ReplayOptions options) {
        Path src = options.source();
        try {
            if (Files.isRegularFile(src) ? CaptureFiles.parse(src).isEmpty() : CaptureFiles.list(src).isEmpty()) {
                throw new IllegalArgumentException("no capture files (*" + CaptureFiles.SUFFIX + ") in " + src);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + src + ": " + e.getMessage());
        }
    }

    void start() {
        reader.start();
        timer = loop.scheduleAtFixedRate(this::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
        reader.interrupt();
    }

    // ---- reader thread -------------------------------------------------------------------------

    private record Head(CaptureReader reader, int connection, CapturedFrame frame) {
    }

    private void read() {
        List<CaptureFiles.Name> files = new ArrayList<>();
        try {
            if (Files.isRegularFile(options.source())) {
                CaptureFiles.parse(options.source()).ifPresent(files::add);
            } else {
                files.addAll(CaptureFiles.list(options.source()));
            }
            // one day at a time, all connections of that day merged by receive time
            TreeMap<LocalDate, List<CaptureFiles.Name>> byDay = new TreeMap<>();
            for (CaptureFiles.Name n : files) {
                byDay.computeIfAbsent(n.day(), d -> new ArrayList<>()).add(n);
            }
            Map<String, Integer> connections = new HashMap<>();
            Dedup dedup = new Dedup();
            long fromMillis = Long.MIN_VALUE;
            if (options.from() != null && !byDay.isEmpty()) {
                fromMillis = ZonedDateTime.of(byDay.firstKey(), options.from(), CaptureFiles.MARKET_ZONE)
                        .toInstant().toEpochMilli();
            }
            for (List<CaptureFiles.Name> day : byDay.values()) {
                replayDay(day, connections, dedup, fromMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Replay stopped reading {}: {}", options.source(), e.toString());
        } finally {
            readerDone = true;
        }
    }

    private void replayDay(List<CaptureFiles.Name> day, Map<String, Integer> connections, Dedup dedup, long fromMillis)
            throws IOException, InterruptedException {
        PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Long.compare(a.frame.receivedAt(),
                b.frame.receivedAt()));
        List<CaptureReader> open = new ArrayList<>();
        try {
            for (CaptureFiles.Name n : day) { // parts of one connection follow each other in time
                CaptureReader r = new CaptureReader(n.path());
                open.add(r);
                int conn = connections.computeIfAbsent(n.connectionId(), k -> connections.size());
                CapturedFrame f = r.next();
                if (f != null) {
                    heads.add(new Head(r, conn, f));
                }
            }
            while (!heads.isEmpty() && !stopped) {
                Head h = heads.poll();
                if (h.frame.receivedAt() >= fromMillis) {
                    Frame f = parse(h.frame, h.connection, dedup);
                    if (f != null) {
                        frames.put(f);
                    }
                }
                CapturedFrame next = h.reader.next();
                if (next != null) {
                    heads.add(new Head(h.reader, h.connection, next));
                } else if (h.reader.truncated()) {
                    unreadable.incrementAndGet();
                }
            }
        } finally {
            for (CaptureReader r : open) {
                r.close();
            }
        }
    }

    /** The frame's data events as slices; null when it has none (status frames, duplicates only). */
    private Frame parse(CapturedFrame cf, int connection, Dedup dedup) {
        byte[] b = cf.text();
        List<int[]> slices = new ArrayList<>();
        List<String> tickers = new ArrayList<>();
        List<EventType> types = new ArrayList<>();
        try (JsonParser p = JSON.createParser(b)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                unreadable.incrementAndGet();
                return null;
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                int start = (int) p.currentTokenLocation().getByteOffset();
                String ev = null;
                String sym = null;
                String tField = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (v == JsonToken.VALUE_STRING && name.equals("ev")) {
                        ev = p.getText();
                    } else if (v == JsonToken.VALUE_STRING && name.equals("sym")) {
                        sym = p.getText();
                    } else if (v == JsonToken.VALUE_STRING && name.equals("T")) {
                        tField = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                int end = (int) p.currentLocation().getByteOffset();
                EventType type = ev == null ? null : EventType.fromCode(ev);
                String ticker = sym != null ? sym : tField;
                if (type == null || ticker == null) {
                    continue; // status messages and events the emulator does not serve
                }
                if (dedup.seenOnAnotherConnection(b, start, end - start, connection)) {
                    duplicatesSkipped.incrementAndGet();
                    continue;
                }
                slices.add(new int[] {start, end - start});
                tickers.add(ticker);
                types.add(type);
            }
        } catch (IOException | RuntimeException e) {
            unreadable.incrementAndGet();
            return null;
        }
        if (slices.isEmpty()) {
            return null;
        }
        int n = slices.size();
        int[] starts = new int[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            starts[i] = slices.get(i)[0];
            lengths[i] = slices.get(i)[1];
        }
        return new Frame(cf.receivedAt(), b, starts, lengths, tickers.toArray(new String[0]),
                types.toArray(new EventType[0]));
    }

    /** Recently seen events (64-bit hashes of their bytes) and the connection that carried them first. */
    private static final class Dedup {
        private final long[] ring = new long[DEDUP_WINDOW];
        private final HashMap<Long, Integer> firstConnection = new HashMap<>();
        private int next;
        private int size;

        boolean seenOnAnotherConnection(byte[] b, int off, int len, int connection) {
            long h = 0xcbf29ce484222325L;
            for (int i = off; i < off + len; i++) {
                h = (h ^ (b[i] & 0xff)) * 0x100000001b3L;
            }
            Integer first = firstConnection.get(h);
            if (first != null) {
                return first != connection;
            }
            if (size == DEDUP_WINDOW) {
                firstConnection.remove(ring[next]);
            } else {
                size++;
            }
            ring[next] = h;
            next = (next + 1) % DEDUP_WINDOW;
            firstConnection.put(h, connection);
            return false;
        }
    }

    // ---- event loop ------------------------------------------------------------------------------

    private void tick() {
        if (stopped || finished) {
            return;
        }
        long now = System.nanoTime();
        if (!started) {
            if (!ready(now)) {
                return;
            }
            started = true;
            wallStartNanos = now;
            LOG.info("Replay of {} begins at {}", options.source(), options.speed() == 0 ? "max speed"
                    : options.speed() + "x");
        }
        int budget = MAX_EVENTS_PER_TICK;
        Collection<EmulatorSession> all = sessions.get();
        while (budget > 0) {
            if (pending == null) {
                pending = frames.poll();
                if (pending == null) {
                    if (readerDone && frames.isEmpty()) {
                        finished = true;
                        LOG.info("Replay of {} finished: {} events", options.source(), eventsReplayed.get());
                    }
                    break;
                }
            }
            if (captureStartMillis == Long.MIN_VALUE) {
                captureStartMillis = pending.receivedAt();
            }
            if (options.speed() > 0) {
                long due = wallStartNanos + (long) ((pending.receivedAt() - captureStartMillis) * 1e6 / options.speed());
                if (now - due < 0) {
                    break;
                }
            } else if (!allCanTake(all)) {
                break; // max speed: as fast as the slowest subscriber reads
            }
            budget -= emit(pending, all);
            pending = null;
        }
        for (EmulatorSession s : all) {
            if (s.isOpen()) {
                s.writeFrame();
                s.channel().flush();
            }
        }
    }

    /** Enough subscribed sessions, unchanged for a moment. */
    private boolean ready(long now) {
        int count = 0;
        int signature = 1;
        for (EmulatorSession s : sessions.get()) {
            if (s.isOpen() && s.isAuthenticated() && !s.params().isEmpty()) {
                count++;
                signature = 31 * signature + s.params().hashCode() + (int) s.id();
            }
        }
        if (count < options.startAfterSessions()) {
            readySinceNanos = -1;
            return false;
        }
        if (readySinceNanos < 0 || signature != readySignature) {
            readySinceNanos = now;
            readySignature = signature;
            return false;
        }
        return now - readySinceNanos >= TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
    }

    private static boolean allCanTake(Collection<EmulatorSession> all) {
        for (EmulatorSession s : all) {
            if (s.isOpen() && s.isAuthenticated() && !s.params().isEmpty() && !s.canTake()) {
                return false;
            }
        }
        return true;
    }

    private int emit(Frame f, Collection<EmulatorSession> all) {
        ByteBuf buf = Unpooled.wrappedBuffer(f.bytes());
        for (int i = 0; i < f.starts().length; i++) {
            EventType type = f.types()[i];
            String ticker = f.tickers()[i];
            String exact = type.code() + "." + ticker;
            String wildcard = type.code() + ".*";
            boolean sent = false;
            for (EmulatorSession s : all) {
                if (!s.isOpen() || !s.isAuthenticated()) {
                    continue;
                }
                java.util.Set<String> params = s.params();
                if (!params.contains(exact) && !params.contains(wildcard)) {
                    continue;
                }
                if (!s.canTake() && options.speed() > 0) {
                    // paced like the real feed, and like it, a reader whose backlog passed the limit is cut off
                    EmulatorHandler.closeAbruptly(s, "slow consumer: outbound backlog over the limit");
                    continue;
                } // at max speed tick() waits before the next frame: at most one captured frame beyond the limit
                s.append(buf, f.starts()[i], f.lengths()[i], s.tickerCounter(ticker), type.ordinal(), batchSize,
                        maxFrameBytes);
                sent = true;
            }
            eventsReplayed.incrementAndGet();
            if (sent) {
                AtomicLongArray c = sentPerTicker.computeIfAbsent(ticker, t -> new AtomicLongArray(TickerStream.TYPES));
                c.incrementAndGet(type.ordinal());
            }
        }
        return f.starts().length;
    }

    // ---- figures, from any thread ----------------------------------------------------------------

    /** Events taken from the capture so far (whether or not a client was subscribed to them). */
    public long eventsReplayed() {
        return eventsReplayed.get();
    }

    /** Events of this ticker and type written to at least one connection. */
    public long eventsSent(String ticker, EventType type) {
        AtomicLongArray c = sentPerTicker.get(ticker);
        return c == null ? 0 : c.get(type.ordinal());
    }

    /** Copies of an event that a second connection also received, left out. */
    public long duplicatesSkipped() {
        return duplicatesSkipped.get();
    }

    /** Frames or file tails that could not be read (a file cut short, a frame that is not JSON). */
    public long unreadable() {
        return unreadable.get();
    }

    public boolean started() {
        return started;
    }

    /** Every frame of the capture has been served. */
    public boolean finished() {
        return finished;
    }

    /** When replay began, for logs; null before. */
    public Instant startedAt() {
        return started ? Instant.now().minusNanos(System.nanoTime() - wallStartNanos) : null;
    }
}
