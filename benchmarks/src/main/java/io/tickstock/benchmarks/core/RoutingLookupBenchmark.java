package io.tickstock.benchmarks.core;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.connection.MultiConnectionManager;
import io.tickstock.core.universe.UniverseResolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code getTickerAssignment(ticker)} over 3 connections × 5,000 tickers (target: well under 100 ns). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RoutingLookupBenchmark {
    private MultiConnectionManager manager;
    private String[] tickers;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        manager = MultiConnectionManager.builder(GatewayConfig.from(Settings.of(Map.of(
                        "USE_MULTI_CONNECTION", "true", "WEBSOCKET_ROUTING_STRATEGY", "hash",
                        "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_2_ENABLED", "true",
                        "WEBSOCKET_CONNECTION_3_ENABLED", "true"))))
                .universes(UniverseResolver.bundled())
                .feedClients(NullFeedClient::new)
                .build();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 15_000; i++) {
            all.add(BenchTickers.ticker(i));
        }
        manager.subscribe(all);
        tickers = all.toArray(new String[0]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public Optional<String> lookup() {
        String t = tickers[next];
        next = next + 1 == tickers.length ? 0 : next + 1;
        return manager.getTickerAssignment(t);
    }
}
