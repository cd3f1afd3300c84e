package io.tickstock.feed.massive;

import io.tickstock.core.config.Settings;
import io.tickstock.emulator.MassiveEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The README's embedding snippet is this class's {@link #readmeSnippet()}, verbatim: the test checks
 * that README.md quotes it and runs it against the emulator.
 */
class ReadmeEmbeddingIT {
    private static final Path SOURCE = Path.of("src/test/java/io/tickstock/feed/massive/ReadmeEmbeddingIT.java");
    private static final Path README = Path.of("../README.md");
    private static final String BEGIN = "// README snippet begin";
    private static final String END = "// README snippet end";

    private final Map<String, String> properties = new LinkedHashMap<>();
    private MassiveEmulator emulator;
    private PrintStream originalOut;

    @AfterEach
    void restore() {
        if (originalOut != null) {
            System.setOut(originalOut);
        }
        properties.keySet().forEach(System::clearProperty);
        if (emulator != null) {
            emulator.stop();
        }
    }

    @Test
    void readmeQuotesTheSnippetVerbatim() throws IOException {
        String snippet = snippet();
        assertThat(snippet).contains("TickStock.builder()").contains(".onTick(").contains(".start()");
        String readme = Files.readString(README);
        assertThat(readme).contains("```java\n" + snippet + "```\n");
    }

    @Test
    void theSnippetRunsAgainstTheEmulatorAndPrintsTicksOffTheEventLoop() {
        emulator = MassiveEmulator.builder().port(0).apiKeys("key").eventsPerSecond(2_000).build().start();
        // Settings.load() reads system properties first: the snippet runs unchanged against the emulator
        properties.put(MassiveConfig.URL, emulator.url());
        properties.put(MassiveConfig.API_KEY, "key");
        properties.put(MassiveConfig.CHANNELS, "T");
        properties.put("USE_MULTI_CONNECTION", "false");
        properties.put("WEBSOCKET_CONNECTION_1_ENABLED", "true");
        properties.put("WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT");
        properties.put(Settings.ENV_FILE_KEY, "target/no-such.env");
        properties.forEach(System::setProperty);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        originalOut = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));

        assertTimeoutPreemptively(Duration.ofSeconds(60), ReadmeEmbeddingIT::readmeSnippet);

        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> ticks = lines.stream().filter(l -> l.contains(" via connection_1 on ")).toList();
        assertThat(ticks).hasSizeGreaterThanOrEqualTo(20);
        assertThat(ticks).allMatch(l -> l.matches("(AAPL|MSFT|NVDA) \\d+\\.\\d+ via connection_1 on tick-bus-embedder"),
                "symbol, price, connection and the listener thread");
        assertThat(lines).contains("dropped by a slow listener: 0");
    }

    private static String snippet() throws IOException {
        List<String> lines = Files.readAllLines(SOURCE);
        int from = indexOf(lines, BEGIN) + 1;
        int to = indexOf(lines, END);
        List<String> body = lines.subList(from, to);
        int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n")) + "\n";
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("marker not found in " + SOURCE + ": " + marker);
    }

    static void readmeSnippet() throws InterruptedException {
        // README snippet begin
        CountDownLatch twenty = new CountDownLatch(20);
        try (TickStock gateway = TickStock.builder()
                .settings(Settings.load())      // system properties, environment, .env: docs/configuration.md
                .onTick(tick -> {               // on the gateway's own thread, never on the feed's event loop
                    System.out.println(tick.symbol() + " " + tick.price() + " via " + tick.connectionId()
                            + " on " + Thread.currentThread().getName());
                    twenty.countDown();
                })
                .start()) {                     // connects the configured connections and their tickers
            gateway.manager().subscribe(List.of("NVDA"));   // more tickers at run time, routed to a connection
            twenty.await();
            System.out.println("dropped by a slow listener: " + gateway.dropped());
        }
        // README snippet end
    }
}
