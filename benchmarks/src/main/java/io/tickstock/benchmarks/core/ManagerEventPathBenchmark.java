package io.tickstock.benchmarks.core;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.event.Trade;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The manager's per-event path on one thread: counters, the carried-ticker check, de-duplication
 * where a ticker arrives twice, dispatch to a sink. {@code unique}: tickers carried by one
 * connection (no de-duplication state, the common path); {@code redundant}: redundant tickers, every
 * event arriving on two connections, so half are dropped as duplicates. Event construction (what
 * the decoder does) is included. Target: at least 5,000,000 events/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ManagerEventPathBenchmark {
    private static final int SYMBOLS = 1_000;
    private static final int BATCH = 1_000;

    private MultiConnectionManager manager;
    private FeedListener first;
    private FeedListener second;
    private String[] symbols;
    private String[] shared;
    private long[] sequence;
    private long[] sharedSequence;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        Map<String, NullFeedClient> clients = new HashMap<>();
        symbols = new String[SYMBOLS];
        shared = new String[SYMBOLS];
        for (int i = 0; i < SYMBOLS; i++) {
            symbols[i] = BenchTickers.ticker(i);
            shared[i] = BenchTickers.ticker(SYMBOLS + i);
        }
        manager = MultiConnectionManager.builder(GatewayConfig.from(Settings.of(Map.of(
                        "USE_MULTI_CONNECTION", "true",
                        "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_2_ENABLED", "true",
                        "WEBSOCKET_CONNECTION_1_SYMBOLS", String.join(",", symbols),
                        "WEBSOCKET_REDUNDANT_SYMBOLS", String.join(",", shared)))))
                .feedClients((slot, listener) -> {
                    NullFeedClient c = new NullFeedClient(slot, listener);
                    clients.put(slot.id(), c);
                    return c;
                })
                .sink(bh::consume)
                .build();
        manager.connect();
        first = clients.get("connection_1").listener();
        second = clients.get("connection_2").listener();
        sequence = new long[SYMBOLS];
        sharedSequence = new long[SYMBOLS];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void unique() {
        for (int i = 0; i < BATCH; i++) {
            first.onEvent(nextTrade(symbols, sequence));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void redundant() {
        for (int i = 0; i < BATCH; i += 2) {
            Trade t = nextTrade(shared, sharedSequence);
            first.onEvent(t);
            second.onEvent(new Trade("connection_2", t.symbol(), t.exchange(), t.tradeId(), t.price(), t.size(),
                    t.conditions(), t.timestamp(), t.sequence(), t.tape(), t.receivedAt()));
        }
    }

    private Trade nextTrade(String[] from, long[] sequences) {
        int s = cursor;
        cursor = cursor + 1 == SYMBOLS ? 0 : cursor + 1;
        long q = ++sequences[s];
        return new Trade("connection_1", from[s], 4, null, 100.25, 100, null, q, q, 3, q);
    }
}
