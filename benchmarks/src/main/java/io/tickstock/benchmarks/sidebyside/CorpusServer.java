package io.tickstock.benchmarks.sidebyside;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The side-by-side harness's feed: a WebSocket server speaking enough of the Massive protocol for
 * every reader, streaming each connection a pre-built {@link Corpus} of its own subscriptions.
 * Threads are named {@code corpus-server} so their CPU can be told apart.
 */
final class CorpusServer implements AutoCloseable {
    private static final int MAX_CACHED_CORPORA = 3;

    private final EventLoopGroup group;
    private final Channel server;
    private final List<CorpusSession> sessions = new CopyOnWriteArrayList<>();
    /** Built corpora by subscription set: every reader subscribes the same three sets, so three suffice. */
    private final Map<List<String>, Corpus> corpora = new LinkedHashMap<>();
    private final long warmupEvents;
    private final long timedEvents;

    CorpusServer(String apiKey, int threads, long warmupEvents, long timedEvents) {
        this.warmupEvents = warmupEvents;
        this.timedEvents = timedEvents;
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("corpus-server", true),
                NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        CorpusSession session = new CorpusSession(apiKey);
                        sessions.add(session);
                        ch.closeFuture().addListener(f -> sessions.remove(session));
                        // no compression handler: a reader offering permessage-deflate gets plain frames
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/").checkStartsWith(true).allowExtensions(false)
                                        .maxFramePayloadLength(1 << 20).build()),
                                // the JS client fragments messages over 16 KiB (a long subscribe)
                                new WebSocketFrameAggregator(1 << 20),
                                session);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    /** {@code ws://127.0.0.1:<port>/stocks}. */
    String url() {
        return "ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/stocks";
    }

    /** {@link #url()} without the market path: the official JS client appends {@code /stocks} itself. */
    String baseUrl() {
        return "ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * Waits until exactly {@code connections} authenticated sessions each hold {@code itemsEach}
     * items and none has changed for {@code quietMillis}, then builds (or reuses) their corpora.
     */
    List<Corpus> awaitSettled(int connections, int itemsEach, long quietMillis, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            List<CorpusSession> live = live();
            if (live.size() == connections && live.stream().allMatch(s -> s.items().size() == itemsEach
                    && s.nanosSinceLastChange() > TimeUnit.MILLISECONDS.toNanos(quietMillis))) {
                List<Corpus> out = new ArrayList<>();
                for (CorpusSession s : live) {
                    out.add(corpus(new ArrayList<>(s.items())));
                }
                return out;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("subscriptions did not settle in " + timeoutMillis + " ms: "
                        + live.size() + " authenticated sessions, items " + live.stream().map(s -> s.items().size()).toList()
                        + " (want " + connections + " x " + itemsEach + ")");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Streams each live session its corpus's warm-up part or timed part; completes when all are written. */
    CompletableFuture<Void> stream(List<Corpus> corpora, boolean warmup, boolean endMarker) {
        List<CorpusSession> live = live();
        if (live.size() != corpora.size()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "sessions changed: " + live.size() + " live, " + corpora.size() + " corpora"));
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            Corpus c = corpora.get(i);
            all.add(live.get(i).stream(warmup ? c.frames().subList(0, c.warmupFrames())
                    : c.frames().subList(c.warmupFrames(), c.frames().size()), endMarker));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private List<CorpusSession> live() {
        return sessions.stream().filter(CorpusSession::authenticated).toList();
    }

    private synchronized Corpus corpus(List<String> items) {
        Corpus c = corpora.get(items);
        if (c == null) {
            if (corpora.size() == MAX_CACHED_CORPORA) {
                List<String> eldest = corpora.keySet().iterator().next();
                corpora.remove(eldest).release();
            }
            // stamped with the time it is built, as a live feed's events are: the gateway's Redis publisher measures
            // how far behind the market it is from them (events of another day would read as hours behind)
            c = Corpus.build(items, warmupEvents, timedEvents, System.currentTimeMillis());
            corpora.put(List.copyOf(items), c);
        }
        return c;
    }

    @Override
    public synchronized void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        corpora.values().forEach(Corpus::release);
        corpora.clear();
    }
}
