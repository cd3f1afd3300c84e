package io.tickstock.benchmarks.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.concurrent.CompletableFuture;

/**
 * One reader's connection to the {@link CorpusServer}: the Massive control plane (connected, auth,
 * one acknowledgement per subscribed item, unknown prefixes ignored) and then the corpus, written as
 * fast as the reader takes it: frames go out while the channel is writable and resume when TCP
 * drains, so nothing is dropped and no slow reader is cut off. All state lives on the channel's
 * event loop.
 */
final class CorpusSession extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    /** The status frame that ends a pass, for readers that count to a marker. */
    static final String END_MARKER = "[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"end of corpus\"}]";
    private static final int ACKS_PER_FRAME = 500;
    /** Items one connection may hold: the whole US market twice over (T and Q), with room to spare. */
    static final int MAX_ITEMS = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ITEM = Pattern.compile("(T|Q|A|AM)\\.[A-Za-z0-9.:*-]{1,32}");

    private final String apiKey;
    private final Set<String> items = new TreeSet<>(); // event loop only
    private volatile Set<String> published = Set.of();
    private volatile long lastChange = System.nanoTime();
    private volatile boolean authenticated;
    private ChannelHandlerContext ctx;

    private List<ByteBuf> pass = List.of();
    private int next;
    private boolean marker;
    private CompletableFuture<Void> done;

    CorpusSession(String apiKey) {
        this.apiKey = apiKey;
    }

    boolean authenticated() {
        return authenticated && ctx != null && ctx.channel().isActive();
    }

    /** The items (e.g. {@code T.AAPL}) subscribed now; a copy made on the event loop. */
    Set<String> items() {
        return published;
    }

    long nanosSinceLastChange() {
        return System.nanoTime() - lastChange;
    }

    /** Writes {@code frames} (then the end marker if asked); completes when the last one is written. */
    CompletableFuture<Void> stream(List<ByteBuf> frames, boolean endMarker) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        ctx.executor().execute(() -> {
            if (done != null) {
                f.completeExceptionally(new IllegalStateException("a pass is already streaming"));
                return;
            }
            pass = frames;
            next = 0;
            marker = endMarker;
            done = f;
            if (!ctx.channel().isActive()) {
                f.completeExceptionally(new IllegalStateException("the reader closed its connection"));
                return;
            }
            writeSome();
        });
        return f;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            send("[{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"Connected Successfully\"}]");
            ctx.flush();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) throws Exception {
        JsonNode msg;
        try {
            msg = JSON.readTree(frame.text());
        } catch (Exception e) {
            return; // the real service ignores what it cannot read
        }
        String action = msg.path("action").asText("");
        String params = msg.path("params").asText("");
        if (action.equals("auth")) {
            if (params.equals(apiKey)) {
                authenticated = true;
                send("[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"authenticated\"}]");
                ctx.flush();
            } else {
                send("[{\"ev\":\"status\",\"status\":\"auth_failed\",\"message\":\"authentication failed\"}]");
                ctx.flush().close();
            }
        } else if (authenticated && (action.equals("subscribe") || action.equals("unsubscribe"))) {
            boolean subscribe = action.equals("subscribe");
            List<String> acks = new ArrayList<>();
            for (String raw : params.split(",")) {
                String item = raw.strip();
                if (!ITEM.matcher(item).matches()) {
                    continue; // unknown prefix or no ticker: no reply at all (and nothing to quote back)
                }
                if (subscribe && items.size() >= MAX_ITEMS && !items.contains(item)) {
                    acks.add("{\"ev\":\"status\",\"status\":\"error\",\"message\":\"subscription limit of "
                            + MAX_ITEMS + " reached: " + item + "\"}");
                    continue;
                }
                if (subscribe) {
                    items.add(item);
                } else {
                    items.remove(item);
                }
                acks.add("{\"ev\":\"status\",\"status\":\"success\",\"message\":\"" + (subscribe ? "subscribed" : "unsubscribed")
                        + " to: " + item + "\"}");
            }
            for (int i = 0; i < acks.size(); i += ACKS_PER_FRAME) {
                send("[" + String.join(",", acks.subList(i, Math.min(acks.size(), i + ACKS_PER_FRAME))) + "]");
            }
            ctx.flush();
            published = Set.copyOf(items);
            lastChange = System.nanoTime();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            writeSome();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (done != null) {
            done.completeExceptionally(new IllegalStateException("the reader closed its connection after "
                    + next + " of " + pass.size() + " frames"));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void writeSome() {
        if (done == null) {
            return;
        }
        while (next < pass.size() && ctx.channel().isWritable()) {
            ctx.write(new TextWebSocketFrame(pass.get(next++).retainedDuplicate()));
        }
        if (next == pass.size()) {
            if (marker) {
                send(END_MARKER);
            }
            CompletableFuture<Void> f = done;
            done = null; // finished writing: a later writability change must not end the pass twice
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(w -> {
                if (w.isSuccess()) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(w.cause());
                }
            });
            pass = List.of();
            next = 0;
        } else {
            ctx.flush(); // resumes in channelWritabilityChanged once the reader has drained the socket
        }
    }

    private void send(String json) {
        ctx.write(new TextWebSocketFrame(Unpooled.copiedBuffer(json, StandardCharsets.US_ASCII)));
    }
}
