package io.tickstock.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.tickstock.core.event.EventType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The server side of the Massive control plane for one connection: connected, auth, subscribe, acks. */
final class EmulatorHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private static final JsonFactory JSON = new JsonFactory();
    static final String MAX_CONNECTIONS_MESSAGE = "Maximum number of websocket connections exceeded. You have reached "
            + "the connection limit for your account. Please contact support at https://massive.com/contact to "
            + "increase your limit.";

    private final MassiveEmulator emulator;
    private EmulatorSession session;
    private ScheduledFuture<?> authTimer;
    private SplittableRandom ackRandom;

    EmulatorHandler(MassiveEmulator emulator) {
        this.emulator = emulator;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        session = emulator.register(ctx.channel());
        ackRandom = new SplittableRandom(TickerStream.mix(emulator.seed() + session.id()));
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (authTimer != null) {
            authTimer.cancel(false);
        }
        emulator.unregister(session);
        super.channelInactive(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            emulator.market().writable();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
            boolean deflate = ctx.pipeline().names().stream()
                    .anyMatch(n -> n.toLowerCase(java.util.Locale.ROOT).contains("deflate"))
                    || ctx.pipeline().toMap().values().stream()
                    .anyMatch(h -> h.getClass().getSimpleName().contains("Deflate"));
            session.opened(hc.requestUri(), hc.requestHeaders().get(HttpHeaderNames.USER_AGENT), deflate);
            sendStatus(ctx, "connected", "Connected Successfully");
            ctx.flush();
            long timeout = emulator.faults().authTimeout().toMillis();
            if (timeout > 0) {
                authTimer = ctx.executor().schedule(() -> authTimedOut(ctx), timeout, TimeUnit.MILLISECONDS);
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        String action = null;
        String params = null;
        try (JsonParser p = JSON.createParser((java.io.InputStream) new ByteBufInputStream(frame.content()))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("action".equals(name) && value == JsonToken.VALUE_STRING) {
                    action = p.getText();
                } else if ("params".equals(name) && value == JsonToken.VALUE_STRING) {
                    params = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            sendStatus(ctx, "error", "invalid message");
            ctx.flush();
            return;
        }
        if (action == null) {
            sendStatus(ctx, "error", "no action");
        } else {
            switch (action) {
                case "auth" -> auth(ctx, params);
                case "subscribe", "unsubscribe" -> subscription(ctx, action.equals("subscribe"), params);
                default -> sendStatus(ctx, "error", "unknown action: " + action);
            }
        }
        ctx.flush();
    }

    private void auth(ChannelHandlerContext ctx, String key) {
        if (emulator.faults().swallowAuth() || session.isAuthenticated()) {
            return;
        }
        if (authTimer != null) {
            authTimer.cancel(false);
        }
        if (key == null || emulator.faults().failAllAuth() || !emulator.isValidKey(key)) {
            emulator.countAuthFailure();
            sendStatus(ctx, "auth_failed", "authentication failed");
            session.markClosed("auth_failed");
            // The real server closes without a close handshake; a FIN (not a reset) keeps the message readable.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        session.authenticated(key);
        sendStatus(ctx, "auth_success", "authenticated");
        ctx.flush();
        emulator.enforceConnectionLimit(session);
    }

    private void subscription(ChannelHandlerContext ctx, boolean subscribe, String params) {
        if (!session.isAuthenticated()) {
            sendStatus(ctx, "error", "not authorized");
            return;
        }
        session.countSubscribeMessage();
        List<String> acked = new ArrayList<>();
        if (params != null) {
            for (String raw : params.split(",")) {
                String item = raw.strip();
                int dot = item.indexOf('.');
                if (dot <= 0 || dot == item.length() - 1 || !isKnownPrefix(item.substring(0, dot))) {
                    continue; // unknown prefix: dropped silently, as the real feed does
                }
                if (subscribe) {
                    session.params().add(item);
                } else {
                    session.params().remove(item);
                }
                acked.add((subscribe ? "subscribed to: " : "unsubscribed to: ") + item);
            }
        }
        if (!acked.isEmpty()) {
            emulator.market().subscriptionsChanged();
            sendAcks(ctx, acked);
        }
    }

    /**
     * The stocks cluster's channels: the six the client decodes, plus {@code NOI} (imbalances) and
     * {@code LV}, which the real feed acknowledges; this emulator acknowledges them too and sends no
     * data on them.
     */
    private static boolean isKnownPrefix(String prefix) {
        return EventType.fromCode(prefix) != null || "NOI".equals(prefix) || "LV".equals(prefix);
    }

    private void sendAcks(ChannelHandlerContext ctx, List<String> messages) {
        int i = 0;
        while (i < messages.size()) {
            int group = switch (emulator.ackMode()) {
                case BATCHED -> messages.size();
                case SINGLE -> 1;
                case MIXED -> 1 + ackRandom.nextInt(64);
            };
            int end = Math.min(messages.size(), i + group);
            ByteBuf buf = ctx.alloc().buffer(64 * (end - i));
            buf.writeByte('[');
            for (int j = i; j < end; j++) {
                if (j > i) {
                    buf.writeByte(',');
                }
                writeStatus(buf, "success", messages.get(j));
            }
            buf.writeByte(']');
            session.writeRaw(buf);
            i = end;
        }
    }

    private void sendStatus(ChannelHandlerContext ctx, String status, String message) {
        ByteBuf buf = ctx.alloc().buffer(64 + message.length());
        buf.writeByte('[');
        writeStatus(buf, status, message);
        buf.writeByte(']');
        session.writeRaw(buf);
    }

    static void writeStatus(ByteBuf buf, String status, String message) {
        buf.writeCharSequence("{\"ev\":\"status\",\"status\":", StandardCharsets.US_ASCII);
        Json.writeString(buf, status);
        buf.writeCharSequence(",\"message\":", StandardCharsets.US_ASCII);
        Json.writeString(buf, message);
        buf.writeByte('}');
    }

    private void authTimedOut(ChannelHandlerContext ctx) {
        if (session.isAuthenticated() || !session.isOpen()) {
            return;
        }
        sendStatus(ctx, "auth_timeout", "no authentication request received");
        session.markClosed("auth_timeout");
        ctx.writeAndFlush(new CloseWebSocketFrame(1008, "auth timeout")).addListener(ChannelFutureListener.CLOSE);
    }

    /** Evicts a session the way the real feed does: {@code max_connections}, then close. */
    static void evict(EmulatorSession s) {
        s.writeFrame();
        ByteBuf buf = s.channel().alloc().buffer(256);
        buf.writeByte('[');
        writeStatus(buf, "max_connections", MAX_CONNECTIONS_MESSAGE);
        buf.writeByte(']');
        s.writeRaw(buf);
        s.markClosed("max_connections");
        s.channel().writeAndFlush(new CloseWebSocketFrame(1008, "max_connections"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** A reset without a close handshake: pending data is discarded, the peer sees a connection reset. */
    static void closeAbruptly(EmulatorSession s, String reason) {
        s.markClosed(reason);
        if (s.channel().isOpen()) {
            s.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            s.channel().close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (session != null) {
            session.markClosed("error: " + cause.getClass().getSimpleName());
        }
        ctx.close();
    }
}
