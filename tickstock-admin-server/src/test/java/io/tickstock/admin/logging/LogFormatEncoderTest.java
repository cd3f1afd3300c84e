package io.tickstock.admin.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LogFormatEncoderTest {
    private final LoggerContext context = new LoggerContext();

    {
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    }
    private final Logger logger = context.getLogger("io.tickstock.core.connection.MultiConnectionManager");

    private LogFormatEncoder encoder(String format) {
        LogFormatEncoder e = new LogFormatEncoder();
        e.setContext(context);
        e.setFormat(format);
        e.setPattern("%-5level %logger{24} - %msg%n");
        e.start();
        return e;
    }

    private LoggingEvent event(Throwable t) {
        LoggingEvent e = new LoggingEvent("fqcn", logger, Level.WARN, "{} ({}): {} from {}", t,
                new Object[] {"connection_1", "primary", "25 tickers", "universe:dow30"});
        e.setThreadName("main");
        e.setTimeStamp(1_705_853_696_123L);
        return e;
    }

    @Test
    void jsonIsOneObjectPerLineWithTheFormattedMessageAndStructuredFields() throws Exception {
        LogFormatEncoder e = encoder("json");
        String line = new String(e.encode(event(new IllegalStateException("boom \"quoted\"\nnext"))), StandardCharsets.UTF_8);

        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode n = new ObjectMapper().readTree(line);
        assertThat(n.get("formattedMessage").asText()).isEqualTo("connection_1 (primary): 25 tickers from universe:dow30");
        assertThat(n.has("message")).as("no template").isFalse();
        assertThat(n.has("arguments")).as("no separate arguments").isFalse();
        assertThat(n.has("context")).isFalse();
        assertThat(n.get("level").asText()).isEqualTo("WARN");
        assertThat(n.get("loggerName").asText()).isEqualTo("io.tickstock.core.connection.MultiConnectionManager");
        assertThat(n.get("threadName").asText()).isEqualTo("main");
        assertThat(n.get("timestamp").asLong()).isEqualTo(1_705_853_696_123L);
        assertThat(n.get("throwable").get("className").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(n.get("throwable").get("message").asText()).isEqualTo("boom \"quoted\"\nnext");
    }

    @Test
    void textIsThePatternAndTheDefault() {
        LogFormatEncoder e = encoder("text");
        assertThat(new String(e.encode(event(null)), StandardCharsets.UTF_8))
                .isEqualTo("WARN  i.t.c.c.MultiConnectionManager - connection_1 (primary): 25 tickers from universe:dow30\n");
        assertThat(encoder(null).format()).isEqualTo("text");
        assertThat(encoder(" JSON ").format()).isEqualTo("json");
    }

    @Test
    void anUnknownFormatIsReportedAndFallsBackToText() {
        LogFormatEncoder e = encoder("xml");
        assertThat(e.format()).isEqualTo("text");
        assertThat(context.getStatusManager().getCopyOfStatusList()).anySatisfy(s -> {
            assertThat(s.getLevel()).isEqualTo(Status.ERROR);
            assertThat(s.getMessage()).contains("TICKSTOCK_LOG_FORMAT=xml");
        });
    }
}
