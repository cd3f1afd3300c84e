package io.tickstock.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.tickstock.core.event.EventType;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One client connection as the emulator sees it. The getters are safe from any thread (tests read
 * them); everything else runs on the emulator's single event-loop thread.
 */
public final class EmulatorSession {
    private final long id;
    private final Channel channel;
    private final Instant openedAt = Instant.now();
    private volatile String userAgent = "";
    private volatile String path = "";
    private volatile String apiKey;
    private volatile boolean authenticated;
    private volatile boolean closed;
    private volatile boolean compressed;
    private volatile String closeReason;
    /** Subscribed params exactly as the client wrote them ({@code T.MSFT}, {@code A.*}). */
    private final Set<String> params = ConcurrentHashMap.newKeySet();
    /** Per subscribed ticker, events sent by type ({@link EventType#ordinal()}). */
    private final ConcurrentHashMap<String, AtomicLongArray> sentPerTicker = new ConcurrentHashMap<>();
    private final AtomicLong eventsSent = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong floodEventsSent = new AtomicLong();
    private final AtomicLong subscribeMessages = new AtomicLong();

    // Frame under construction (event-loop thread only).
    private ByteBuf frame;
    private int frameEvents;

    EmulatorSession(long id, Channel channel) {
        this.id = id;
        this.channel = channel;
    }

    /** 1 for the first connection the emulator accepted, then 2, 3 … */
    public long id() {
        return id;
    }

    public Instant openedAt() {
        return openedAt;
    }

    /** The {@code User-Agent} of the upgrade request (TickStock clients put their connection id in it). */
    public String userAgent() {
        return userAgent;
    }

    /** The request path, e.g. {@code /stocks}. */
    public String path() {
        return path;
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** Whether permessage-deflate was negotiated for this connection. */
    public boolean isCompressed() {
        return compressed;
    }

    /** The key this session authenticated with, null before authentication. Never log it. */
    public String apiKey() {
        return apiKey;
    }

    public boolean isAuthenticated() {
        return authenticated;
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return !closed;
    }

    /** Why the emulator closed it (eviction, fault switch …), or null. */
    public String closeReason() {
        return closeReason;
    }

    /** The current subscription params, e.g. {@code T.MSFT}, {@code A.*}; a sorted copy. */
    public Set<String> subscriptions() {
        return Collections.unmodifiableSet(new java.util.TreeSet<>(params));
    }

    /** Tickers subscribed on any channel (the part after the dot), sorted. */
    public Set<String> subscribedTickers() {
        java.util.TreeSet<String> tickers = new java.util.TreeSet<>();
        for (String p : params) {
            tickers.add(p.substring(p.indexOf('.') + 1));
        }
        return tickers;
    }

    /** Market events written to this connection (fault frames not included). */
    public long eventsSent() {
        return eventsSent.get();
    }

    /** Market events written to this connection for {@code ticker}, all channels. */
    public long eventsSent(String ticker) {
        return sum(sentPerTicker.get(ticker));
    }

    /** Market events of one type written to this connection for {@code ticker}. */
    public long eventsSent(String ticker, EventType type) {
        AtomicLongArray c = sentPerTicker.get(ticker);
        return c == null ? 0 : c.get(type.ordinal());
    }

    /** Events sent per ticker, all channels, sorted by ticker. */
    public Map<String, Long> eventsSentPerTicker() {
        Map<String, Long> m = new TreeMap<>();
        sentPerTicker.forEach((k, v) -> m.put(k, sum(v)));
        return m;
    }

    /** Events of never-subscribed symbols written by {@link FaultSwitches#floodUnknownSymbols}. */
    public long floodEventsSent() {
        return floodEventsSent.get();
    }

    static long sum(AtomicLongArray a) {
        if (a == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < a.length(); i++) {
            n += a.get(i);
        }
        return n;
    }

    public long framesSent() {
        return framesSent.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    /** Subscribe and unsubscribe messages received. */
    public long subscribeMessages() {
        return subscribeMessages.get();
    }

    @Override
    public String toString() {
        return "EmulatorSession[" + id + ", " + userAgent + ", " + (closed ? "closed" : "open") + ", "
                + params.size() + " params, " + eventsSent.get() + " events]";
    }

    // ---- event-loop side -------------------------------------------------------------------

    Channel channel() {
        return channel;
    }

    void opened(String path, String userAgent, boolean compressed) {
        this.compressed = compressed;
        this.path = path;
        this.userAgent = userAgent == null ? "" : userAgent;
    }

    void authenticated(String key) {
        this.apiKey = key;
        this.authenticated = true;
    }

    void markClosed(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        closed = true;
        params.clear();
        if (frame != null) {
            frame.release();
            frame = null;
            frameEvents = 0;
        }
    }

    Set<String> params() {
        return params;
    }

    void countSubscribeMessage() {
        subscribeMessages.incrementAndGet();
    }

    AtomicLongArray tickerCounter(String ticker) {
        return sentPerTicker.computeIfAbsent(ticker, t -> new AtomicLongArray(TickerStream.TYPES));
    }

    void countFloodEvents(int n) {
        floodEventsSent.lazySet(floodEventsSent.get() + n);
    }

    boolean canTake() {
        return !closed && channel.isWritable();
    }

    long pendingOutboundBytes() {
        ChannelOutboundBuffer b = channel.unsafe().outboundBuffer();
        return b == null ? 0 : b.totalPendingWriteBytes();
    }

    /** Appends one encoded event to the frame under construction; writes the frame when it is full. */
    void append(ByteBuf event, int eventStart, int eventLength, AtomicLongArray tickerCounter, int typeIndex,
                int batchSize, int maxFrameBytes) {
        if (frame != null && frame.readableBytes() + eventLength + 2 > maxFrameBytes) {
            writeFrame();
        }
        if (frame == null) {
            frame = channel.alloc().buffer(Math.min(maxFrameBytes, Math.max(256, batchSize * 160)));
            frame.writeByte('[');
        } else {
            frame.writeByte(',');
        }
        frame.writeBytes(event, eventStart, eventLength);
        frameEvents++;
        eventsSent.lazySet(eventsSent.get() + 1);
        tickerCounter.lazySet(typeIndex, tickerCounter.get(typeIndex) + 1);
        if (frameEvents >= batchSize) {
            writeFrame();
        }
    }

    /** Writes the frame under construction, if any (without flushing). */
    void writeFrame() {
        if (frame == null) {
            return;
        }
        frame.writeByte(']');
        ByteBuf f = frame;
        frame = null;
        frameEvents = 0;
        writeRaw(f);
    }

    /** Writes a complete text frame (without flushing), counting it. */
    void writeRaw(ByteBuf payload) {
        framesSent.lazySet(framesSent.get() + 1);
        bytesSent.lazySet(bytesSent.get() + payload.readableBytes());
        channel.write(new TextWebSocketFrame(payload), channel.voidPromise());
    }
}
