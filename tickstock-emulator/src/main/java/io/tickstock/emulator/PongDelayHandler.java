package io.tickstock.emulator;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;

import java.util.concurrent.TimeUnit;

/**
 * Answers pings late when the {@code pongDelay} fault is on (a busy real server queues pongs behind
 * data); otherwise lets Netty's protocol handler answer at once.
 */
final class PongDelayHandler extends ChannelInboundHandlerAdapter {
    private final FaultSwitches faults;

    PongDelayHandler(FaultSwitches faults) {
        this.faults = faults;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        long delay = faults.pongDelay().toMillis();
        if (delay > 0 && msg instanceof PingWebSocketFrame ping) {
            PongWebSocketFrame pong = new PongWebSocketFrame(ping.content());
            ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    ctx.channel().writeAndFlush(pong);
                } else {
                    pong.release();
                }
            }, delay, TimeUnit.MILLISECONDS);
            return;
        }
        super.channelRead(ctx, msg);
    }
}
