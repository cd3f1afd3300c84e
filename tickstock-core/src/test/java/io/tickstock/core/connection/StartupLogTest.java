package io.tickstock.core.connection;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tickstock.core.universe.Tickers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the manager says at start-up about each slot's tickers: counted in good English, with their real source. */
class StartupLogTest {
    private final Logger log = (Logger) LoggerFactory.getLogger(MultiConnectionManager.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private ManagerFixture f;
    private ch.qos.logback.classic.Level previous;

    @BeforeEach
    void attach() {
        previous = log.getLevel();
        log.setLevel(ch.qos.logback.classic.Level.INFO); // the tests' logback config keeps WARN and above
        appender.start();
        log.addAppender(appender);
    }

    @AfterEach
    void detach() {
        log.detachAppender(appender);
        log.setLevel(previous);
        if (f != null) {
            f.close();
        }
    }

    private List<String> messages() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void countsArePluralOnlyWhenTheyShouldBe() {
        assertThat(List.of(Tickers.count(0), Tickers.count(1), Tickers.count(2)))
                .containsExactly("0 tickers", "1 ticker", "2 tickers");
    }

    @Test
    void singleModeWithNothingConfiguredNamesTheDefaultList() {
        f = ManagerFixture.of();
        f.build();
        assertThat(messages()).contains("connection_1 (connection_1): 8 tickers from the default list")
                .noneMatch(m -> m.contains("from none"));
    }

    @Test
    void singleModeWithSymbolUniverseKeyNamesThatKey() {
        f = ManagerFixture.of("SYMBOL_UNIVERSE_KEY", "mine").universe("mine", "KO");
        f.build();
        assertThat(messages()).contains("connection_1 (connection_1): 1 ticker from universe:mine (SYMBOL_UNIVERSE_KEY)");
    }

    @Test
    void slotsSayOneTickerAndOverlapsInTheSingular() {
        f = ManagerFixture.of("USE_MULTI_CONNECTION", "true",
                "WEBSOCKET_CONNECTION_1_ENABLED", "true", "WEBSOCKET_CONNECTION_1_NAME", "primary",
                "WEBSOCKET_CONNECTION_1_SYMBOLS", "KO,PEP",
                "WEBSOCKET_CONNECTION_2_ENABLED", "true", "WEBSOCKET_CONNECTION_2_NAME", "secondary",
                "WEBSOCKET_CONNECTION_2_UNIVERSE_KEY", "two");
        f.universe("two", "PEP", "XOM");
        f.build();
        assertThat(messages()).contains("connection_1 (primary): 2 tickers from symbols:KO,PEP",
                "connection_2: 1 ticker already on an earlier connection, left there "
                        + "(list in WEBSOCKET_REDUNDANT_SYMBOLS to carry on both)",
                "connection_2 (secondary): 1 ticker from universe:two");
    }
}
