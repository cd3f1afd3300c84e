package io.tickstock.feed.massive;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/** The handlers of one Massive connection, one concern each: TLS, silence, HTTP upgrade, WebSocket, then the session. */
final class MassivePipeline {
    private MassivePipeline() {
    }

    /** Installs the handlers for a connection to {@code host:port}, ending with {@code session}. */
    static void install(ChannelPipeline p, MassiveConfig config, SslContext sslContext, String host, int port,
                        String userAgent, MassiveSession session) {
        if (sslContext != null) {
            p.addLast(sslContext.newHandler(p.channel().alloc(), host, port));
        }
        p.addLast(new IdleStateHandler(config.silenceTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast(new HttpClientCodec());
        p.addLast(new HttpObjectAggregator(64 * 1024));
        if (config.compression()) {
            p.addLast(new WebSocketClientCompressionHandler(config.maxFrameBytes()));
        }
        p.addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(config.url())
                .customHeaders(new DefaultHttpHeaders().set(HttpHeaderNames.USER_AGENT, userAgent))
                .allowExtensions(true)
                .maxFramePayloadLength(config.maxFrameBytes())
                .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                .handleCloseFrames(false)
                .dropPongFrames(true)
                .withUTF8Validator(false) // the JSON parser rejects bad UTF-8 itself; validating twice halves throughput
                .build()));
        p.addLast(new WebSocketFrameAggregator(config.maxFrameBytes()));
        p.addLast(session);
    }
}
