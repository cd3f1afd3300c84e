package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tickstock.redis.testing.RedisServerExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** The password of REDIS_URL never reaches a log line, a health figure or an error message. */
class RedisSecretsIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final String PASSWORD = "Sup3r-Secret-pw";

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void release() {
        root.detachAppender(logs);
    }

    private String everythingLogged() {
        StringBuilder sb = new StringBuilder();
        for (ILoggingEvent e : logs.list) {
            sb.append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                sb.append(e.getThrowableProxy().getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void unreachableRedisWithPasswordLogsOnlyTheRedactedUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisConfig cfg = RedisConfig.of("redis://:" + PASSWORD + "@127.0.0.1:" + port);
        try (RedisTickPublisher pub = RedisTickPublisher.start(cfg);
             RedisTickSubscriber sub = RedisTickSubscriber.start(cfg, t -> { });
             RedisUniverseSource universes = RedisUniverseSource.create(cfg)) {
            assertThat(universes.load("dow30")).isEmpty();
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.lastError() != null
                    && sub.health().get("last_error") != null);
            assertThat(pub.health().toString() + sub.health() + universes.name() + cfg)
                    .doesNotContain(PASSWORD).contains("redis://:****@127.0.0.1:" + port);
        }
        assertThat(everythingLogged()).contains("redis://:****@127.0.0.1:" + port).doesNotContain(PASSWORD);
    }

    @Test
    void wrongPasswordIsReportedWithoutIt() throws Exception {
        // the server wants another password: AUTH fails, and the failure must not echo ours
        raw("CONFIG SET requirepass the-right-one");
        try {
            RedisConfig cfg = RedisConfig.of("redis://:" + PASSWORD + "@127.0.0.1:" + REDIS.port());
            try (RedisTickPublisher pub = RedisTickPublisher.start(cfg)) {
                // a first attempt may fail before AUTH is answered (seen once in a full run: the log now
                // names the innermost cause); the retries must then say the password was refused
                await().atMost(Duration.ofSeconds(30)).until(() -> pub.lastError() != null
                        && pub.lastError().startsWith("Redis refused the credentials"));
                assertThat(pub.isConnected()).isFalse();
                assertThat(pub.lastError()).doesNotContain(PASSWORD)
                        .startsWith("Redis refused the credentials in REDIS_URL (WRONGPASS");
            }
            assertThat(everythingLogged()).doesNotContain(PASSWORD)
                    .contains("Redis refused the credentials in REDIS_URL");
        } finally {
            raw("AUTH the-right-one\r\nCONFIG SET requirepass \"\"");
        }
    }

    /** Inline commands over a plain socket, independent of the code under test. */
    private static void raw(String commands) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), REDIS.port())) {
            s.getOutputStream().write((commands + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.setSoTimeout(2_000);
            byte[] buf = new byte[256];
            int replies = commands.split("\r\n").length;
            int seen = 0;
            while (seen < replies) {
                int n = s.getInputStream().read(buf);
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        seen++;
                    }
                }
            }
        }
    }
}
