package io.tickstock.redis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class JsonBytesTest {
    private static String written(long v) {
        byte[] b = new byte[JsonBytes.MAX_LONG_LENGTH + 3];
        b[0] = 'x';
        int end = JsonBytes.writeLong(b, 1, v);
        return new String(b, 1, end - 1, StandardCharsets.US_ASCII);
    }

    @Test
    void everyLongIsWrittenAsLongToStringWritesIt() {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, 9L, 10L, 99L, 100L, 101L, Long.MAX_VALUE,
                Long.MIN_VALUE, Long.MIN_VALUE + 1, (long) Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
                (long) Integer.MIN_VALUE, 1_705_853_696L, 1_705_853_696_123L));
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) { // every power of ten and its neighbours
            for (long q : new long[] {p * 10, p}) {
                values.add(q - 1);
                values.add(q);
                values.add(q + 1);
                values.add(-q);
            }
        }
        SplittableRandom random = new SplittableRandom(20_261_202L);
        for (int i = 0; i < 200_000; i++) {
            values.add(random.nextLong() >> random.nextInt(64)); // every magnitude, both signs
        }
        for (long v : values) {
            assertThat(written(v)).as("%d", v).isEqualTo(Long.toString(v));
        }
    }
}
