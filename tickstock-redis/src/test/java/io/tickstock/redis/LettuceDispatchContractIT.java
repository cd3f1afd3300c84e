package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tickstock.redis.testing.RedisServerExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pins the Lettuce behaviour the publisher relies on, so that an upgrade that changes it fails here
 * rather than in production: a collection of our own {@link RedisCommand}s given to the public
 * {@code dispatch(Collection)} is encoded once each, in order, on the connection's event loop; every
 * command gets exactly one reply in send order, decoded into its output and completed before the next
 * reply is decoded (so one output can serve a whole batch, an error reply staying with its command).
 */
class LettuceDispatchContractIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final String CHANNEL = "contract:ticks";

    @Test
    void aDispatchedCollectionIsEncodedInOrderOnTheEventLoopAndEachCommandGetsItsOwnReply() throws Exception {
        RedisConfig config = RedisConfig.of(REDIS.uri());
        try (RedisConnector connector = RedisConnector.create(config)) {
            ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
            StatefulRedisPubSubConnection<byte[], byte[]> sub = connector.connectPubSub();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] channel, byte[] message) {
                    received.add(new String(message, StandardCharsets.UTF_8));
                }
            });
            sub.sync().subscribe(CHANNEL.getBytes(StandardCharsets.UTF_8));
            StatefulRedisConnection<byte[], byte[]> conn = connector.connectBinary();

            // Four messages back to back in one array, published from slices of it.
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            List<int[]> bounds = new ArrayList<>();
            for (String m : List.of("m0", "m1-ÄÖ", "m2", "m3")) {
                byte[] b = m.getBytes(StandardCharsets.UTF_8);
                bounds.add(new int[] {all.size(), b.length});
                all.write(b);
            }
            byte[] bytes = all.toByteArray();
            byte[] publish = PublishCommand.header(CHANNEL.getBytes(StandardCharsets.UTF_8));
            byte[] unknown = "*3\r\n$7\r\nPUBLISX\r\n$14\r\ncontract:ticks\r\n".getBytes(StandardCharsets.US_ASCII);
            CommandOutput<byte[], byte[], Long> shared = PublishCommand.replies();
            CountDownLatch done = new CountDownLatch(1);
            AtomicReference<Boolean> onLoop = new AtomicReference<>();
            AtomicInteger encodes = new AtomicInteger();
            Runnable learn = () -> {
                encodes.incrementAndGet();
                onLoop.set(connector.currentEventLoop().isPresent());
            };
            PublishCommand[] cmds = {
                new PublishCommand(publish, bytes, bounds.get(0)[0], bounds.get(0)[1], null, learn, shared),
                new PublishCommand(publish, bytes, bounds.get(1)[0], bounds.get(1)[1], null, null, shared),
                new PublishCommand(unknown, bytes, bounds.get(2)[0], bounds.get(2)[1], null, null, shared),
                new PublishCommand(publish, bytes, bounds.get(3)[0], bounds.get(3)[1], done, null, shared),
            };
            List<RedisCommand<byte[], byte[], ?>> batch = List.of(cmds);
            conn.dispatch(batch);

            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(encodes.get()).isEqualTo(1);
            assertThat(onLoop.get()).isTrue();
            assertThat(cmds[0].state()).isEqualTo(PublishCommand.OK);
            assertThat(cmds[1].state()).isEqualTo(PublishCommand.OK);
            assertThat(cmds[2].state()).isEqualTo(PublishCommand.FAILED);
            assertThat(cmds[2].error()).startsWith("ERR unknown command");
            assertThat(cmds[3].state()).isEqualTo(PublishCommand.OK); // the error did not leak into the next reply
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
            assertThat(received).containsExactly("m0", "m1-ÄÖ", "m3");
            // the connection is still in step: a plain command afterwards gets its own reply
            assertThat(conn.sync().echo("after".getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo("after".getBytes(StandardCharsets.UTF_8));
            conn.close();
            sub.close();
        }
    }
}
