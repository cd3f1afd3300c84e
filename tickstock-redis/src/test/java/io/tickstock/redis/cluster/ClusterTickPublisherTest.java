package io.tickstock.redis.cluster;

import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.TestTicks;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterTickPublisherTest {
    @Test
    void withoutAReachableClusterTheQueueStaysBoundedAndEveryDropIsCounted() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there once closed
        }
        RedisConfig config = RedisConfig.of("redis://:s3cret-pw@127.0.0.1:" + closedPort).withQueue(10, 5);
        try (RedisClusterConnector connector = new RedisClusterConnector(config);
             ClusterTickPublisher pub = ClusterTickPublisher.start(connector, true)) {
            for (int i = 0; i < 100; i++) {
                pub.accept(TestTicks.trade("AAPL", 100 + i, 1, 1_705_853_696_000L + i, i));
            }
            assertThat(pub.health()).containsEntry("offered", 100L).containsEntry("queue_capacity", 10)
                    .containsEntry("published", 0L).containsEntry("redis_connected", false);
            long queued = ((Number) pub.health().get("queue_depth")).longValue();
            long dropped = ((Number) pub.health().get("dropped_queue_full")).longValue();
            assertThat(queued).isLessThanOrEqualTo(10);
            assertThat(dropped + queued).isEqualTo(100);
            assertThat(pub.health().toString()).doesNotContain("s3cret-pw");
        }
    }
}
