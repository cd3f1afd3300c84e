package io.tickstock.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Owns one Lettuce client and its threads, configured for a feed that must never wait on Redis:
 * commands are rejected (not buffered) while disconnected, Lettuce's own request queue is bounded,
 * nothing waits longer than the command timeout, and the connection reconnects by itself with a short capped backoff.
 * Share one connector between the publisher, subscriber and universe source of a process.
 */
public final class RedisConnector implements AutoCloseable {
    private static final int WATER_MARK_LOW = 4 << 20;
    private static final int WATER_MARK_HIGH = 8 << 20;
    private final RedisConfig config;
    private final ClientResources resources;
    private final RedisClient client;
    /** The event loops of this client's channels: at most its I/O thread count. */
    private final Set<EventLoop> eventLoops = ConcurrentHashMap.newKeySet();

    private RedisConnector(RedisConfig config, int ioThreads) {
        this.config = config;
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(ioThreads)
                .nettyCustomizer(new NettyCustomizer() {
                    @Override
                    public void afterBootstrapInitialized(Bootstrap bootstrap) {
                        // A batch of PUBLISHes is written as one burst larger than Netty's default 64 KiB
                        // high-water mark; crossing it flips the channel's writability (two events per
                        // batch) that Lettuce does not use. What is in flight is bounded by the publisher.
                        bootstrap.option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                                new WriteBufferWaterMark(WATER_MARK_LOW, WATER_MARK_HIGH));
                    }

                    @Override
                    public void afterChannelInitialized(Channel channel) {
                        eventLoops.add(channel.eventLoop());
                    }
                })
                .computationThreadPoolSize(1)
                // Lettuce turns its per-command latency histograms on whenever HdrHistogram and
                // LatencyUtils are on the classpath (Micrometer brings them): a wrapper, a map look-up
                // and two recordings per PUBLISH on the event loop that nothing here reads.
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .reconnectDelay(() -> Delay.exponential(Duration.ofMillis(50), config.reconnectMaxDelay(), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = RedisURI.create(config.url().reveal());
        uri.setTimeout(config.commandTimeout());
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(config.requestQueueSize())
                .useHashIndexQueue(false) // cheaper in-flight stack; cancelling (on time-outs only) is rare
                .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build())
                // No per-command timer (it costs a scheduled task per PUBLISH): the publisher cancels
                // what is unanswered at its own deadline, and sync calls wait at most the URI timeout.
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
                .build());
    }

    /** Creates the client; no connection is opened yet. */
    public static RedisConnector create(RedisConfig config) {
        return new RedisConnector(config, 2);
    }

    /** A connector with one I/O thread: enough for a publisher's single connection. */
    static RedisConnector createSingleThreaded(RedisConfig config) {
        return new RedisConnector(config, 1);
    }

    /** The configuration this connector was made with. */
    public RedisConfig config() {
        return config;
    }

    /**
     * The event loop the calling thread runs, when it is one of this client's (called from a command's
     * {@code encode}, which runs on its channel's loop). Writing from that loop lets Netty pass
     * commands straight down the pipeline instead of queueing one task per write.
     */
    Optional<Executor> currentEventLoop() {
        for (EventLoop loop : eventLoops) {
            if (loop.inEventLoop()) {
                return Optional.of(loop);
            }
        }
        return Optional.empty();
    }

    /** A new binary connection (keys and values as bytes); throws when Redis cannot be reached now. */
    public StatefulRedisConnection<byte[], byte[]> connectBinary() {
        return client.connect(ByteArrayCodec.INSTANCE);
    }

    /** A new text connection; throws when Redis cannot be reached now. */
    public StatefulRedisConnection<String, String> connectText() {
        return client.connect(StringCodec.UTF8);
    }

    /** A new binary pub/sub connection; Lettuce re-subscribes its channels after every reconnect. */
    public StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
        return client.connectPubSub(ByteArrayCodec.INSTANCE);
    }

    /** An error message safe to log or show: the URL's password, if any, is never in it. */
    public String safeMessage(Throwable t) {
        return config.safeMessage(t);
    }

    /** The text with the URL's password, if any, replaced. */
    String safeText(String text) {
        return config.safeText(text);
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
