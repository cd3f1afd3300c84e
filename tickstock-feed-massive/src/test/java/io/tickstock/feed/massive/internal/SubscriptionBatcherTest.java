package io.tickstock.feed.massive.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionBatcherTest {
    @Test
    void fiveThousandTickersGoOutInMessagesOfAtMostTheLimits() {
        List<String> params = IntStream.range(0, 5_000).mapToObj(i -> "T.TICK" + i).toList();
        SubscriptionBatcher batcher = new SubscriptionBatcher(1_000, 16 * 1024);
        List<SubscriptionBatcher.Batch> batches = batcher.batches("subscribe", params);

        List<String> all = new ArrayList<>();
        for (SubscriptionBatcher.Batch b : batches) {
            assertThat(b.params()).hasSizeLessThanOrEqualTo(1_000);
            assertThat(b.json().length()).isLessThanOrEqualTo(16 * 1024);
            assertThat(b.json()).isEqualTo("{\"action\":\"subscribe\",\"params\":\"" + String.join(",", b.params())
                    + "\"}");
            all.addAll(b.params());
        }
        assertThat(all).isEqualTo(params);
        assertThat(batches).hasSize(5);
    }

    @Test
    void theByteLimitSplitsBeforeTheItemLimit() {
        List<String> params = IntStream.range(0, 100).mapToObj(i -> "Q.LONGTICKER" + i).toList();
        List<SubscriptionBatcher.Batch> batches = new SubscriptionBatcher(1_000, 200).batches("unsubscribe", params);
        assertThat(batches).allSatisfy(b -> assertThat(b.json().length()).isLessThanOrEqualTo(200));
        assertThat(batches.stream().mapToInt(b -> b.params().size()).sum()).isEqualTo(100);
        assertThat(batches.get(0).json()).startsWith("{\"action\":\"unsubscribe\",\"params\":\"Q.LONGTICKER0,");
    }

    @Test
    void nothingToSendMeansNoMessage() {
        assertThat(new SubscriptionBatcher(10, 100).batches("subscribe", List.of())).isEmpty();
    }
}
