package io.tickstock.benchmarks.feed;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.tickstock.feed.massive.internal.SubscriptionBatcher;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling of the end-to-end harness: a WebSocket reader that authenticates, subscribes the same
 * params as the real client and then only discards what arrives (counting bytes).
 */
final class NullReader implements AutoCloseable {
    private final AtomicLong bytes = new AtomicLong();
    private final Channel channel;

    NullReader(EventLoopGroup group, URI uri, String key, List<String> params, boolean compression) {
        List<SubscriptionBatcher.Batch> batches = new SubscriptionBatcher(1_000, 16 * 1024)
                .batches("subscribe", params);
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024));
                        if (compression) {
                            ch.pipeline().addLast(new WebSocketClientCompressionHandler(1 << 20));
                        }
                        ch.pipeline().addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig
                                .newBuilder().webSocketUri(uri).allowExtensions(true)
                                .maxFramePayloadLength(1 << 20).withUTF8Validator(false).build()));
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<WebSocketFrame>() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                        .HANDSHAKE_COMPLETE) {
                                    // the server handles messages in order: subscribing right after auth is safe
                                    ctx.write(new TextWebSocketFrame("{\"action\":\"auth\",\"params\":\"" + key + "\"}"));
                                    for (SubscriptionBatcher.Batch batch : batches) {
                                        ctx.write(new TextWebSocketFrame(batch.json()));
                                    }
                                    ctx.flush();
                                }
                                ctx.fireUserEventTriggered(evt);
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                                bytes.lazySet(bytes.get() + frame.content().readableBytes());
                            }
                        });
                    }
                });
        channel = b.connect(uri.getHost(), uri.getPort()).syncUninterruptibly().channel();
    }

    long bytes() {
        return bytes.get();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
