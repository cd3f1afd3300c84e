package io.tickstock.benchmarks.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The transport ceiling, run as its own process: a minimal Netty WebSocket client per connection that
 * authenticates, subscribes, and then only frames and discards what arrives. It parses nothing; it
 * recognises the end-of-pass marker by its length and bytes and prints {@code done} on stdout when
 * every connection has seen it.
 *
 * <p>Argument: a JSON file {@code {"url","key","connections":[["T.X","Q.X",…],…]}} written by
 * {@link SideBySideHarness}.
 */
public final class RawReader {
    private static final ByteBuf MARKER = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer(CorpusSession.END_MARKER, StandardCharsets.US_ASCII));

    private RawReader() {
    }

    public static void main(String[] args) throws Exception {
        JsonNode config = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        URI uri = URI.create(config.get("url").asText());
        String key = config.get("key").asText();
        List<List<String>> connections = new ArrayList<>();
        for (JsonNode c : config.get("connections")) {
            List<String> items = new ArrayList<>();
            c.forEach(i -> items.add(i.asText()));
            connections.add(items);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Math.min(connections.size(),
                Runtime.getRuntime().availableProcessors()), new DefaultThreadFactory("raw-reader", false),
                NioIoHandler.newFactory());
        AtomicInteger ended = new AtomicInteger();
        for (List<String> items : connections) {
            connect(group, uri, key, items, () -> {
                if (ended.incrementAndGet() % connections.size() == 0) {
                    System.out.println("done");
                    System.out.flush();
                }
            });
        }
        // runs until the harness ends the process
    }

    private static void connect(EventLoopGroup group, URI uri, String key, List<String> items, Runnable onMarker) {
        String subscribe = "{\"action\":\"subscribe\",\"params\":\"" + String.join(",", items) + "\"}";
        new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                        .webSocketUri(uri).maxFramePayloadLength(1 << 20)
                                        .withUTF8Validator(false).build()),
                                new SimpleChannelInboundHandler<WebSocketFrame>() {
                                    private boolean subscribed;

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                                        ByteBuf content = frame.content();
                                        if (!subscribed) {
                                            // the first frames are status messages: subscribe once auth succeeded
                                            if (content.toString(StandardCharsets.US_ASCII).contains("auth_success")) {
                                                subscribed = true;
                                                ctx.writeAndFlush(new TextWebSocketFrame(subscribe));
                                            }
                                        } else if (content.readableBytes() == MARKER.readableBytes()
                                                && content.equals(MARKER)) {
                                            onMarker.run();
                                        }
                                    }

                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                                .HANDSHAKE_COMPLETE) {
                                            ctx.writeAndFlush(new TextWebSocketFrame(
                                                    "{\"action\":\"auth\",\"params\":\"" + key + "\"}"));
                                        }
                                        ctx.fireUserEventTriggered(evt);
                                    }
                                });
                    }
                })
                .connect(uri.getHost(), uri.getPort()).syncUninterruptibly();
    }
}
