package io.tickstock.core.connection;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.testing.InMemoryFeed;
import io.tickstock.core.universe.UniverseResolver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example configurations of the docs, built as written (bundled universes, an in-memory feed): no
 * ticker configured on two slots by accident, and every slot's start-up line is the one the page quotes.
 */
class DocumentedConfigurationsTest {
    private static final Path DOCS = Path.of("..", "docs");

    @ParameterizedTest
    @CsvSource({
            "configuration.md, '## Example `.env`', 3",
            "operations.md, '`/etc/tickstock/tickstock.env`', 2",
            "scaling.md, '## Running two nodes and one admin server', 3"})
    void theExampleStartsAsTheDocSays(String page, String heading, int slots) throws Exception {
        String text = Files.readString(DOCS.resolve(page));
        Map<String, String> settings = settingsAfter(text, heading);
        assertThat(settings).as(page).containsKey("USE_MULTI_CONNECTION");
        settings.keySet().removeIf(k -> !k.startsWith("WEBSOCKET_") && !k.equals("USE_MULTI_CONNECTION")
                && !k.equals("SYMBOL_UNIVERSE_KEY"));

        Logger log = (Logger) LoggerFactory.getLogger(MultiConnectionManager.class);
        Level previous = log.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.setLevel(Level.INFO);
        log.addAppender(appender);
        try (MultiConnectionManager m = MultiConnectionManager.builder(GatewayConfig.from(Settings.of(settings)))
                .universes(UniverseResolver.fromSettings(Settings.of(settings)))
                .feedClients(new InMemoryFeed()).sink(e -> { }).build()) {
            List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(appender.list).as(page + ": no warning (overlapping universes, unknown keys …)")
                    .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
            List<String> slotLines = lines.stream().filter(l -> l.matches("connection_\\d+ \\(.*\\): \\d+ tickers? from .*")).toList();
            assertThat(slotLines).as(page).hasSize(slots);
            String flat = text.replaceAll("\\s+", " ");
            for (String l : slotLines) {
                assertThat(flat.contains(l)).as("%s quotes the start-up line \"%s\"", page, l).isTrue();
            }
        } finally {
            log.detachAppender(appender);
            log.setLevel(previous);
        }
    }

    /** KEY=value pairs (also several per {@code export} line) of the first code block after {@code heading}. */
    static Map<String, String> settingsAfter(String text, String heading) {
        int at = text.indexOf(heading);
        assertThat(at).as("heading %s", heading).isNotNegative();
        int open = text.indexOf("```", at);
        int close = text.indexOf("```", text.indexOf('\n', open));
        Map<String, String> m = new LinkedHashMap<>();
        Matcher kv = Pattern.compile("(?m)(?:^|\\s)([A-Z][A-Z0-9_]+)=(\\S+)").matcher(text.substring(open, close));
        while (kv.find()) {
            m.put(kv.group(1), kv.group(2));
        }
        return m;
    }
}
