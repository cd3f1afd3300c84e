package io.tickstock.feed.massive;

import io.tickstock.feed.massive.internal.MassiveFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.tickstock.core.internal.config.Durations;
import io.tickstock.core.bus.IngestGate;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.feed.massive.capture.FrameCapture;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The last handler of one connection's pipeline: decodes text frames (on the I/O thread, straight
 * to the listener), passes status messages to the client, sends pings, recycles a silent
 * connection and reports why the connection ended. One instance per connection attempt.
 *
 * <p>While the client's {@link IngestGate} is held it stops after the current frame of market data: it
 * stops reading (the server keeps the rest), and the frames already read with that frame (one socket
 * read can carry thousands of events, more when compressed) are kept in order, up to twice the maximum
 * frame size, and decoded when the gate opens, one at a time while it stays open. Beyond that bound, or
 * when the connection ends, the kept frames are decoded at once (the sink counts what it cannot take),
 * so nothing read is ever lost. A frame of status messages never pauses it, so a session always gets
 * through authentication; an acknowledgement behind kept data frames waits until they are decoded,
 * one gate pause at most per frame before it.
 * The pause's silence is its own, so it does not recycle the connection for it. Pause state lives on
 * the event loop.
 */
final class MassiveSession extends SimpleChannelInboundHandler<WebSocketFrame> implements MassiveFrameDecoder.Sink {
    /** What a kept frame costs beyond its payload (the frame and buffer objects), as counted against the bound. */
    private static final int PARKED_FRAME_OVERHEAD = 64;
    private final MassiveFeedClient client;
    private final int generation;
    private final MassiveFrameDecoder decoder;
    private final LoopTimers timers;
    private final long pingMillis;
    private byte[] scratch = new byte[4_096];
    private LoopTimers.Timer pinger;
    private String endReason;
    private IngestGate gate; // null: never paused
    private Runnable resumeListener;
    private boolean paused;
    /** Text frames read after the pause took hold, oldest first; retained until decoded. */
    private final ArrayDeque<TextWebSocketFrame> parked = new ArrayDeque<>();
    /** Their payload plus {@link #PARKED_FRAME_OVERHEAD} each, so that a read of empty frames is bounded too. */
    private long parkedBytes;
    private boolean frameHadEvents;
    /** When reading last resumed after a pause (System.nanoTime); silence is counted from then. */
    private long resumedAtNanos;
    private boolean everResumed;

    MassiveSession(MassiveFeedClient client, int generation, MassiveFrameDecoder decoder, LoopTimers timers, long pingMillis) {
        this.timers = timers;
        this.client = client;
        this.generation = generation;
        this.decoder = decoder;
        this.pingMillis = pingMillis;
    }

    /** Closes the connection, remembering why (reported once the channel is closed). */
    void close(ChannelHandlerContext ctx, String reason) {
        if (endReason == null) {
            endReason = reason;
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            pinger = timers.every(() -> {
                client.countPing();
                ctx.writeAndFlush(new PingWebSocketFrame());
            }, pingMillis);
            gate = client.ingestGate();
            if (gate != null) {
                resumeListener = () -> ctx.executor().execute(() -> resumeIfOpen(ctx));
                gate.addResumeListener(resumeListener);
            }
            client.onHandshake(generation, ctx);
        } else if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE && silentSinceResume()) {
            client.countSilenceRecycle();
            close(ctx, "no data received for " + Durations.format(client.config().silenceTimeout()) + ", recycling");
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            close(ctx, "WebSocket handshake timed out");
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            if (paused) {
                int cost = text.content().readableBytes() + PARKED_FRAME_OVERHEAD;
                if (parkedBytes + cost <= 2L * client.config().maxFrameBytes()) {
                    parked.add(text.retain());
                    parkedBytes += cost;
                    return;
                }
                decodeParked(ctx, false); // over the bound: in order, what was kept first
            }
            decodeText(ctx, text);
        } else if (frame instanceof CloseWebSocketFrame close) {
            String text = close.reasonText();
            close(ctx, "server closed the connection (" + close.statusCode()
                    + (text == null || text.isEmpty() ? "" : " " + text) + ")");
        } else if (!(frame instanceof PongWebSocketFrame)) {
            client.afterFrame(MassiveFrameDecoder.Outcome.OK); // binary frames carry nothing for us
        }
    }

    private void decodeText(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        ByteBuf content = frame.content();
        int len = content.readableBytes();
        MassiveFrameDecoder.Outcome outcome;
        if (content.hasArray()) {
            capture(content.array(), content.arrayOffset() + content.readerIndex(), len);
            outcome = decoder.decode(content.array(), content.arrayOffset() + content.readerIndex(), len, this);
        } else {
            if (scratch.length < len) {
                // bounded: a frame is never larger than the configured maximum frame size
                scratch = new byte[Math.max(len, Math.min(scratch.length * 2, client.config().maxFrameBytes()))];
            }
            content.getBytes(content.readerIndex(), scratch, 0, len);
            capture(scratch, 0, len);
            outcome = decoder.decode(scratch, 0, len, this);
        }
        client.afterFrame(outcome);
        if (frameHadEvents) { // never mid-handshake: status frames (auth, acks) are always read
            frameHadEvents = false;
            pauseIfHeld(ctx);
        }
    }

    /**
     * Decodes the kept frames, oldest first: all of them, or ({@code whileOpen}) one at a time while the
     * gate is open. Outside the pipeline's read (a resume, the end of the connection) anything thrown is
     * handled as the pipeline would: the connection closes, or, once closed, it is counted as an internal error.
     */
    private void decodeParked(ChannelHandlerContext ctx, boolean whileOpen) {
        TextWebSocketFrame f;
        while ((!whileOpen || gate.isOpen()) && (f = parked.poll()) != null) {
            parkedBytes -= f.content().readableBytes() + PARKED_FRAME_OVERHEAD;
            try {
                decodeText(ctx, f);
            } catch (Throwable t) { // as Netty's pipeline catches it around a read
                if (ctx.channel().isActive()) {
                    exceptionCaught(ctx, t);
                } else if (!(t instanceof IOException) && !(t instanceof DecoderException)) { // as exceptionCaught counts
                    client.internalError("unexpected exception decoding a kept frame", t);
                }
            } finally {
                f.release();
            }
        }
    }

    /** Stops reading while the gate is held; checks again after pausing, so a release in between is never missed. */
    private void pauseIfHeld(ChannelHandlerContext ctx) {
        if (gate == null || paused || gate.isOpen()) {
            return;
        }
        paused = true;
        ctx.channel().config().setAutoRead(false);
        resumeIfOpen(ctx);
    }

    /**
     * Event loop (the resume listener hops here): once the gate is open, decodes the kept frames one by
     * one while it stays open, then reads again. Held again meanwhile: stays paused with the rest kept.
     */
    private void resumeIfOpen(ChannelHandlerContext ctx) {
        if (!paused) {
            return;
        }
        decodeParked(ctx, true); // stays paused meanwhile: a frame that holds the gate again ends the loop
        if (parked.isEmpty() && gate.isOpen()) {
            paused = false;
            resumedAtNanos = System.nanoTime();
            everResumed = true;
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * Whether the server, not this client, has been silent for the whole silence timeout: never while
     * paused, and a pause's own silence does not count (the idle timer, measuring from the last read,
     * may fire right after a long pause before the first frame is in).
     */
    private boolean silentSinceResume() {
        return !paused && (!everResumed
                || System.nanoTime() - resumedAtNanos >= client.config().silenceTimeout().toNanos());
    }

    /** Hands the raw frame to the capture journal, when one is on (it copies and queues, never blocks). */
    private void capture(byte[] bytes, int offset, int length) {
        FrameCapture.Tap tap = client.captureTap();
        if (tap != null) {
            tap.offer(bytes, offset, length);
        }
    }

    @Override
    public void onEvent(MarketEvent event) {
        frameHadEvents = true;
        client.deliver(event);
    }

    @Override
    public void onStatus(String status, String message) {
        client.onServerStatus(generation, status, message);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException) && !(cause instanceof DecoderException)) {
            // not the network and not bad input (the decoder counts that itself): a bug; the
            // session restarts from a known state
            client.internalError("unexpected exception on the connection", cause);
        }
        String msg = cause.getMessage();
        close(ctx, cause.getClass().getSimpleName() + (msg == null ? "" : ": " + msg));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        TextWebSocketFrame f;
        while ((f = parked.poll()) != null) { // none after channelInactive; a removal without it must not leak
            f.release();
        }
        parkedBytes = 0;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pinger != null) {
            pinger.cancel();
        }
        if (resumeListener != null) {
            gate.removeResumeListener(resumeListener);
        }
        try {
            decodeParked(ctx, false); // read from the server before it ended: delivered, never lost
        } finally {
            client.onSessionEnded(generation, endReason == null ? "connection closed by the server" : endReason);
            super.channelInactive(ctx);
        }
    }
}
