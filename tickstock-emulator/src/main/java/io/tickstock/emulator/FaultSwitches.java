package io.tickstock.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Faults a test switches on at run time. Settings ({@code pongDelay}, {@code slowConsumerKillBytes}
 * …) apply from the next event or frame on; actions ({@code dropAbruptly}, {@code injectMalformed} …)
 * have happened on the wire (written and flushed) when the call returns, and return how many
 * sessions they touched. A session selector is any predicate, e.g. {@code s -> s.id() == 2} or
 * {@link #all()}.
 */
public final class FaultSwitches {
    private final MassiveEmulator emulator;
    private volatile Duration pongDelay = Duration.ZERO;
    private volatile long slowConsumerKillBytes;
    private volatile boolean swallowAuth;
    private volatile boolean failAllAuth;
    private volatile Duration authTimeout;
    private volatile long gapSize = 5;
    private volatile SequenceFault sequenceFault;
    private final AtomicInteger sequenceFaultsLeft = new AtomicInteger();
    /** The next flood symbol number, so that every flood brings new symbols. */
    private final AtomicLong floodSymbols = new AtomicLong();

    FaultSwitches(MassiveEmulator emulator, Duration authTimeout) {
        this.emulator = emulator;
        this.authTimeout = authTimeout;
    }

    /** Selects every open session. */
    public static Predicate<EmulatorSession> all() {
        return s -> true;
    }

    /** Selects the session with this id. */
    public static Predicate<EmulatorSession> id(long id) {
        return s -> s.id() == id;
    }

    /** Selects sessions whose User-Agent contains {@code text} (TickStock clients send their connection id). */
    public static Predicate<EmulatorSession> userAgentContains(String text) {
        return s -> s.userAgent().contains(text);
    }

    // ---- connection faults -----------------------------------------------------------------

    /** Resets the selected connections without a close handshake (TCP RST), as the real feed does now and then. */
    public int dropAbruptly(Predicate<EmulatorSession> selector) {
        return emulator.onSessions(selector, s -> EmulatorHandler.closeAbruptly(s, "fault: abrupt drop"));
    }

    /** Closes the selected connections with a WebSocket close frame. */
    public int closeCleanly(Predicate<EmulatorSession> selector, int code, String reason) {
        return emulator.onSessions(selector, s -> {
            s.writeFrame();
            s.channel().writeAndFlush(new CloseWebSocketFrame(code, reason))
                    .addListener(f -> s.channel().close());
            s.markClosed("fault: clean close " + code);
        });
    }

    /** Kills a connection whose outbound backlog exceeds {@code bytes} (0 switches the kill off). */
    public FaultSwitches slowConsumerKillBytes(long bytes) {
        this.slowConsumerKillBytes = Math.max(0, bytes);
        return this;
    }

    public long slowConsumerKillBytes() {
        return slowConsumerKillBytes;
    }

    /** Answers pings this much later (zero: at once). */
    public FaultSwitches pongDelay(Duration delay) {
        this.pongDelay = delay;
        return this;
    }

    public Duration pongDelay() {
        return pongDelay;
    }

    // ---- authentication faults -------------------------------------------------------------

    /** Ignores auth messages, so that new sessions run into {@code auth_timeout}. */
    public FaultSwitches swallowAuth(boolean on) {
        this.swallowAuth = on;
        return this;
    }

    public boolean swallowAuth() {
        return swallowAuth;
    }

    /** Answers every auth with {@code auth_failed}, valid key or not. */
    public FaultSwitches failAllAuth(boolean on) {
        this.failAllAuth = on;
        return this;
    }

    public boolean failAllAuth() {
        return failAllAuth;
    }

    /** How long a new session may stay unauthenticated before {@code auth_timeout}. */
    public FaultSwitches authTimeout(Duration timeout) {
        this.authTimeout = timeout;
        return this;
    }

    public Duration authTimeout() {
        return authTimeout;
    }

    // ---- data faults -----------------------------------------------------------------------

    /** The next {@code count} events that carry a {@code q} get {@code fault}. */
    public FaultSwitches sequenceFault(SequenceFault fault, int count) {
        this.sequenceFault = fault;
        sequenceFaultsLeft.set(count);
        return this;
    }

    /** How far a {@link SequenceFault#GAP} jumps (default 5). */
    public FaultSwitches gapSize(long size) {
        this.gapSize = size;
        return this;
    }

    public long gapSize() {
        return gapSize;
    }

    /** Sequence faults set by {@link #sequenceFault} that have not been applied yet. */
    public int sequenceFaultsPending() {
        return Math.max(0, sequenceFaultsLeft.get());
    }

    SequenceFault takeSequenceFault() {
        if (sequenceFaultsLeft.get() <= 0) {
            return null;
        }
        return sequenceFaultsLeft.getAndDecrement() > 0 ? sequenceFault : null;
    }

    /**
     * Floods the selected connections with one trade each for {@code symbols} distinct symbols that
     * nobody subscribed to ({@code ZZ} and eight base-36 digits; every call uses new ones), in
     * frames of 100, as fast as each connection reads. Returns when every event is on the wire (or
     * its connection closed), at most after ten minutes; returns how many sessions it touched. The
     * events are counted in {@link EmulatorSession#floodEventsSent()}, not in
     * {@link EmulatorSession#eventsSent()}.
     */
    public int floodUnknownSymbols(Predicate<EmulatorSession> selector, int symbols) {
        if (symbols < 1) {
            throw new IllegalArgumentException("symbols must be at least 1");
        }
        long first = floodSymbols.getAndAdd(symbols);
        List<CompletableFuture<Integer>> floods =
                new CopyOnWriteArrayList<>();
        int n = emulator.onSessions(selector, s -> floods.add(
                SymbolFlood.start(s, first, symbols, emulator.market().marketMillis())));
        try {
            CompletableFuture.allOf(floods.toArray(new CompletableFuture[0]))
                    .get(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("symbol flood did not finish", e);
        }
        return n;
    }

    /** Sends one frame that is not valid JSON. */
    public int injectMalformed(Predicate<EmulatorSession> selector) {
        return inject(selector, "[{\"ev\":\"T\",\"sym\":\"MSFT\",\"p\":41");
    }

    /**
     * The events {@link #injectInvalidValues} sends, each invalid in one way: a price of
     * {@code "NaN"}, {@code null}, an object, a negative price, a negative size, a non-finite
     * price, a missing time, an 11-character symbol, a symbol with a control character.
     */
    public static final List<String> INVALID_VALUE_EVENTS = List.of(
            "{\"ev\":\"T\",\"sym\":\"MSFT\",\"p\":\"NaN\",\"s\":100,\"t\":1730996410123,\"q\":1}",
            "{\"ev\":\"T\",\"sym\":\"MSFT\",\"p\":null,\"s\":100,\"t\":1730996410123,\"q\":1}",
            "{\"ev\":\"Q\",\"sym\":\"MSFT\",\"bp\":{\"v\":1},\"ap\":2,\"t\":1730996410123,\"q\":1}",
            "{\"ev\":\"T\",\"sym\":\"MSFT\",\"p\":-412.5,\"s\":100,\"t\":1730996410123,\"q\":1}",
            "{\"ev\":\"T\",\"sym\":\"MSFT\",\"p\":412.5,\"s\":-100,\"t\":1730996410123,\"q\":1}",
            "{\"ev\":\"A\",\"sym\":\"MSFT\",\"v\":1,\"o\":1,\"c\":1e999,\"h\":1,\"l\":1,\"s\":0,\"e\":1000}",
            "{\"ev\":\"T\",\"sym\":\"MSFT\",\"p\":412.5,\"s\":100}",
            "{\"ev\":\"T\",\"sym\":\"ABCDEFGHIJK\",\"p\":1,\"s\":1,\"t\":1730996410123}",
            "{\"ev\":\"T\",\"sym\":\"MS\\u0007FT\",\"p\":1,\"s\":1,\"t\":1730996410123}");

    /** Sends one frame of {@link #INVALID_VALUE_EVENTS}, which a correct client counts as invalid and drops. */
    public int injectInvalidValues(Predicate<EmulatorSession> selector) {
        return inject(selector, "[" + String.join(",", INVALID_VALUE_EVENTS) + "]");
    }

    /** Sends one frame holding an event type the client does not know. */
    public int injectUnknownEvent(Predicate<EmulatorSession> selector) {
        return inject(selector, "[{\"ev\":\"XQ\",\"sym\":\"MSFT\",\"zz\":[1,{\"a\":2}],\"p\":1.5}]");
    }

    /**
     * Sends one frame of {@code bytes} bytes: a valid array holding one unknown event whose padding
     * field makes up the size (so it must be counted as unknown, not lost as malformed).
     */
    public int injectHugeFrame(Predicate<EmulatorSession> selector, int bytes) {
        String head = "[{\"ev\":\"XBIG\",\"pad\":\"";
        String tail = "\"}]";
        int pad = Math.max(0, bytes - head.length() - tail.length());
        return inject(selector, head + "x".repeat(pad) + tail);
    }

    /** Sends one arbitrary text frame (for tests of odd shapes). */
    public int injectRaw(Predicate<EmulatorSession> selector, String text) {
        return inject(selector, text);
    }

    private int inject(Predicate<EmulatorSession> selector, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return emulator.onSessions(selector, s -> {
            s.writeFrame();
            ByteBuf buf = s.channel().alloc().buffer(bytes.length).writeBytes(bytes);
            s.writeRaw(buf);
            s.channel().flush();
        });
    }
}
