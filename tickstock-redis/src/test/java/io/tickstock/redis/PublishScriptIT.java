package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.tickstock.redis.testing.ChannelRecorder;
import io.tickstock.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Publishing by script: one {@code EVALSHA} per batch, the script loaded again after Redis lost it, and
 * the fallback to one {@code PUBLISH} per tick when Redis refuses scripting (at connect or later). In
 * every case each tick reaches the channel exactly once and in the order offered.
 */
class PublishScriptIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String USER = "ticks";
    private static final String PASSWORD = "ticks-pw";

    private RedisClient client;
    private RedisCommands<String, String> redis;

    @BeforeEach
    void connect() {
        client = RedisClient.create(REDIS.uri());
        redis = client.connect().sync();
        redis.aclDeluser(USER);
        redis.configResetstat();
        redis.scriptFlush();
    }

    @AfterEach
    void close() {
        client.shutdown();
    }

    @Test
    void scriptModeSendsOneEvalshaPerBatchAndEveryTickOnceInOrder() throws Exception {
        ConcurrentLinkedQueue<String> got = subscribe();
        try (RedisTickPublisher pub = RedisTickPublisher.start(config(REDIS.uri()).withQueue(20_000, 100))) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            offer(pub, 0, 5_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() == 5_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= 5_000);
            assertThat(pub.dropped()).isZero();
            assertThat(pub.health()).containsEntry("publish_mode", "script");
            long batches = (long) pub.health().get("batches");
            assertThat(calls("evalsha")).isEqualTo(batches);
            assertThat(calls("publish")).isEqualTo(5_000); // the script's PUBLISHes; none sent on their own
        }
        assertThat(sequences(got)).containsExactlyElementsOf(range(0, 5_000));
        assertThat(redis.scriptExists(PublishScript.SHA)).containsExactly(true); // the SHA computed here is Redis's
    }

    @Test
    void scriptLostByRedisIsLoadedAgainAndTheBatchResentOnce() throws Exception {
        ConcurrentLinkedQueue<String> got = subscribe();
        try (RedisTickPublisher pub = RedisTickPublisher.start(config(REDIS.uri()).withQueue(20_000, 100))) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            offer(pub, 0, 2_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() == 2_000);
            redis.scriptFlush(); // as after a Redis restart: the next batch gets NOSCRIPT
            offer(pub, 2_000, 4_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() == 4_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= 4_000);
            assertThat(pub.dropped()).isZero();
            assertThat(pub.publishesByScript()).isTrue();
            assertThat(redis.scriptExists(PublishScript.SHA)).containsExactly(true);
        }
        assertThat(sequences(got)).containsExactlyElementsOf(range(0, 4_000));
    }

    @Test
    void scriptLostAgainAfterItWasLoadedAgainFallsBackToPublishesWithoutLosingATick() throws Exception {
        ConcurrentLinkedQueue<String> got = subscribe();
        try (RedisTickPublisher pub = RedisTickPublisher.start(config(REDIS.uri()).withQueue(20_000, 100))) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            offer(pub, 0, 1_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() == 1_000);
            redis.scriptFlush(); // lost once: loaded again, still by script
            offer(pub, 1_000, 2_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() == 2_000);
            assertThat(pub.publishesByScript()).isTrue();
            redis.scriptFlush(); // lost again after loading it (as behind a proxy that keeps no scripts)
            offer(pub, 2_000, 3_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() == 3_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= 3_000);
            assertThat(pub.dropped()).isZero();
            assertThat(pub.publishesByScript()).isFalse();
            assertThat(pub.health()).containsEntry("publish_mode", "commands");
        }
        assertThat(sequences(got)).containsExactlyElementsOf(range(0, 3_000));
    }

    @Test
    void serverRefusingScriptingAtConnectGetsOnePublishPerTick() throws Exception {
        aclSetuser("on", ">" + PASSWORD, "~*", "&*", "+@all", "-@scripting");
        ConcurrentLinkedQueue<String> got = subscribe();
        try (RedisTickPublisher pub = RedisTickPublisher.start(config(userUri()).withQueue(20_000, 100))) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            offer(pub, 0, 3_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() == 3_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= 3_000);
            assertThat(pub.dropped()).isZero();
            assertThat(pub.health()).containsEntry("publish_mode", "commands");
            assertThat(calls("evalsha")).isZero();
            assertThat(calls("publish")).isEqualTo(3_000);
        }
        assertThat(sequences(got)).containsExactlyElementsOf(range(0, 3_000));
    }

    @Test
    void scriptingRefusedAfterConnectResendsTheRefusedBatchesAsPublishesInOrder() throws Exception {
        aclSetuser("on", ">" + PASSWORD, "~*", "&*", "+@all");
        ConcurrentLinkedQueue<String> got = subscribe();
        try (RedisTickPublisher pub = RedisTickPublisher.start(config(userUri()).withQueue(20_000, 100))) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            offer(pub, 0, 2_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() == 2_000);
            assertThat(pub.publishesByScript()).isTrue();
            aclSetuser("-@scripting"); // on the live connection: the next EVALSHA gets NOPERM
            offer(pub, 2_000, 6_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() == 6_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= 6_000);
            assertThat(pub.dropped()).isZero();
            assertThat(pub.publishesByScript()).isFalse();
        }
        assertThat(sequences(got)).containsExactlyElementsOf(range(0, 6_000));
    }

    @Test
    void commandsModeNeverCallsTheScript() throws Exception {
        ConcurrentLinkedQueue<String> got = subscribe();
        RedisConfig c = config(REDIS.uri()).withQueue(20_000, 100).withPublishMode(PublishMode.COMMANDS);
        try (RedisTickPublisher pub = RedisTickPublisher.start(c)) {
            await().atMost(Duration.ofSeconds(30)).until(pub::isConnected);
            offer(pub, 0, 1_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> pub.published() == 1_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= 1_000);
            assertThat(pub.health()).containsEntry("publish_mode", "commands");
        }
        assertThat(calls("evalsha")).isZero();
        assertThat(calls("publish")).isEqualTo(1_000);
        assertThat(redis.scriptExists(PublishScript.SHA)).containsExactly(false);
        assertThat(sequences(got)).containsExactlyElementsOf(range(0, 1_000));
    }

    private static RedisConfig config(String uri) {
        return RedisConfig.of(uri);
    }

    /** {@code ACL SETUSER ticks <rules…>} as redis-cli would send it. */
    private void aclSetuser(String... rules) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(USER);
        for (String r : rules) {
            args.add(r);
        }
        assertThat(redis.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args)).isEqualTo("OK");
    }

    private static String userUri() {
        return "redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + REDIS.port();
    }

    /** Trades numbered {@code from} (inclusive) to {@code to}, offered from one thread in that order. */
    private static void offer(RedisTickPublisher pub, int from, int to) {
        for (int i = from; i < to; i++) {
            pub.accept(TestTicks.trade("S" + i % 50, 100 + i % 7, 1 + i % 500, 1_705_853_696_000L + i, i));
        }
    }

    /** Calls of {@code command} since the stats were reset (0 when never called), scripts' calls included. */
    private long calls(String command) {
        for (String line : redis.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                String v = line.substring(("cmdstat_" + command + ":calls=").length());
                return Long.parseLong(v.substring(0, v.indexOf(',')));
            }
        }
        return 0;
    }

    private ConcurrentLinkedQueue<String> subscribe() {
        return ChannelRecorder.record(client, RedisConfig.DEFAULT_CHANNEL);
    }

    private static List<Long> sequences(ConcurrentLinkedQueue<String> got) throws Exception {
        List<Long> out = new ArrayList<>(got.size());
        for (String m : got) {
            out.add(MAPPER.readTree(m).get("sequence").asLong());
        }
        return out;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }
}
