package io.tickstock.benchmarks.sidebyside;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * N logged-in dashboards on the gateway's {@code /admin-ws}, as browsers connect: the session cookie
 * of the login form, a same-origin {@code Origin}, and an offer of permessage-deflate. They read and
 * count frames; inflating what the server compresses is their only work (they do not check the frames'
 * UTF-8: they share the gateway's cores here, where a browser would not).
 */
final class Dashboards implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("dashboards", true), NioIoHandler.newFactory());
    private final List<Channel> channels = new ArrayList<>();
    private final LongAdder frames = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    Dashboards(String httpBase, String cookie, int count) throws Exception {
        URI uri = URI.create(httpBase.replaceFirst("^http", "ws") + "/admin-ws");
        for (int i = 0; i < count; i++) {
            CompletableFuture<Void> open = new CompletableFuture<>();
            DefaultHttpHeaders headers = new DefaultHttpHeaders();
            headers.set("Cookie", cookie);
            headers.set("Origin", httpBase);
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                    WebSocketClientCompressionHandler.INSTANCE,
                                    new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                            .webSocketUri(uri).customHeaders(headers).allowExtensions(true)
                                            .maxFramePayloadLength(16 << 20)
                                            .withUTF8Validator(false) // a browser's work, not the gateway's
                                            .build()),
                                    new SimpleChannelInboundHandler<WebSocketFrame>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                                            frames.increment();
                                            bytes.add(f.content().readableBytes());
                                        }

                                        @Override
                                        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                                    .HANDSHAKE_COMPLETE) {
                                                open.complete(null);
                                            }
                                            ctx.fireUserEventTriggered(evt);
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            open.completeExceptionally(cause);
                                            ctx.close();
                                        }
                                    });
                        }
                    })
                    .connect(uri.getHost(), uri.getPort()).syncUninterruptibly().channel();
            channels.add(ch);
            open.get(15, TimeUnit.SECONDS);
        }
    }

    long frames() {
        return frames.sum();
    }

    long bytes() {
        return bytes.sum();
    }

    @Override
    public void close() {
        channels.forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
