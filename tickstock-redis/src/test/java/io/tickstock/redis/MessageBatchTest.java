package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickstock.core.event.Tick;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageBatchTest {
    @Test
    void eachSliceIsExactlyTheTicksOwnMessageAcrossGrowthAndReuse() {
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // beyond the initial sizes: the arrays grow
            ticks.add(switch (i % 3) {
                case 0 -> TestTicks.trade("S" + i + "ÄÖ", 100.25 + i, i, 1_705_853_696_123L + i, i);
                case 1 -> TestTicks.quote("Q" + i, 10.5, 10.75, 1_705_853_696_000L + i, i);
                default -> TestTicks.aggregate("A\"" + i, 1_705_853_000_000L + i); // a quote to escape
            });
        }
        MessageBatch batch = new MessageBatch(2, null);
        for (int round = 0; round < 2; round++) { // the second round reuses the grown arrays
            batch.clear();
            for (Tick t : ticks) {
                batch.add(t);
            }
            assertThat(batch.count()).isEqualTo(ticks.size());
            for (int i = 0; i < ticks.size(); i++) {
                String slice = new String(batch.bytes(), batch.start(i), batch.end(i) - batch.start(i),
                        StandardCharsets.UTF_8);
                assertThat(slice).isEqualTo(new String(TickJson.write(ticks.get(i)), StandardCharsets.UTF_8));
                assertThat(batch.copy(i)).isEqualTo(TickJson.write(ticks.get(i)));
            }
        }
    }

    @Test
    void aSourceLabelReplacesEveryTicksOwnSource() {
        MessageBatch batch = new MessageBatch(4, TickJson.DEMO_SOURCE);
        Tick t = TestTicks.trade("AAPL", 178.23, 50_000, 1_705_853_696_123L, 7);
        batch.add(t);
        assertThat(batch.copy(0)).isEqualTo(TickJson.encoder(TickJson.DEMO_SOURCE).encode(t));
    }
}
