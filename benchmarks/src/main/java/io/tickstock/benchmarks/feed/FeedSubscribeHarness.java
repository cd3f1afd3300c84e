package io.tickstock.benchmarks.feed;

import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.feed.massive.MassiveFeedClient;
import io.tickstock.feed.massive.MassiveFeedClientFactory;
import io.tickstock.emulator.MassiveEmulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Start-up of a large subscription: 3 connections × 5,000 tickers, from {@code connect()} until the
 * server has acknowledged every param on every connection (the clients' subscribe futures). Target
 * (the project's target): under 2 s.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tickstock.benchmarks.feed.FeedSubscribeHarness [tickers] [rounds]</pre>
 */
public final class FeedSubscribeHarness {
    private FeedSubscribeHarness() {
    }

    public static void main(String[] args) throws Exception {
        FeedEndToEndHarness.quietLogs();
        int tickers = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long[] millis = new long[rounds];
        try (MassiveEmulator emu = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(10_000).build().start()) {
            MassiveConfig config = MassiveConfig.defaults(emu.url(), "k").withChannels(List.of(EventType.A));
            for (int r = 0; r < rounds + 1; r++) { // round 0 warms up
                try (MassiveFeedClientFactory factory = new MassiveFeedClientFactory(config)) {
                    List<CompletableFuture<Void>> acked = new ArrayList<>();
                    List<MassiveFeedClient> clients = new ArrayList<>();
                    for (int c = 0; c < 3; c++) {
                        clients.add(factory.create("connection_" + (c + 1), NO_OP));
                    }
                    List<List<String>> lists = new ArrayList<>();
                    for (int c = 0; c < 3; c++) {
                        List<String> list = new ArrayList<>(tickers);
                        for (int i = 0; i < tickers; i++) {
                            list.add(String.format("S%d%05d", c, i));
                        }
                        lists.add(list);
                    }
                    long t0 = System.nanoTime();
                    for (int c = 0; c < 3; c++) {
                        acked.add(clients.get(c).subscribe(lists.get(c)));
                        clients.get(c).connect();
                    }
                    CompletableFuture.allOf(acked.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    if (r > 0) {
                        millis[r - 1] = ms;
                    }
                }
            }
        }
        Arrays.sort(millis);
        System.out.printf(Locale.ROOT, "Subscribe 3 connections x %,d tickers (connect, auth, batched subscribe, every ack):"
                + " median %d ms, max %d ms over %d rounds (target < 2000 ms)%n", tickers, millis[rounds / 2],
                millis[rounds - 1], rounds);
    }

    private static final FeedListener NO_OP = new FeedListener() {
        @Override
        public void onEvent(MarketEvent event) {
        }

        @Override
        public void onStatus(ConnectionStatus status, String message) {
        }

        @Override
        public void onError(String message) {
        }
    };
}
