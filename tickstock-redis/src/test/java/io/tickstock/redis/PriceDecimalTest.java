package io.tickstock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PriceDecimalTest {
    private static final byte[] BUF = new byte[64];

    /** What the fast path writes, or null when it declines. */
    private static String fast(double v) {
        int end = PriceDecimal.write(BUF, 0, v);
        return end < 0 ? null : new String(BUF, 0, end, StandardCharsets.US_ASCII);
    }

    private static String jackson(double v) {
        return NumberOutput.toString(v, true); // what the publisher's generator writes
    }

    /** Taken exactly for +0.0 and for values in [0.001, 1e7) whose shortest decimal has at most 6 fraction digits. */
    private static boolean inRange(double v) {
        if (Double.doubleToRawLongBits(v) == 0L) {
            return true;
        }
        return v >= 1e-3 && v < 1e7 && new BigDecimal(jackson(v)).stripTrailingZeros().scale() <= 6;
    }

    private static void check(double v) {
        String f = fast(v);
        assertThat(f != null).as("taken for %s", jackson(v)).isEqualTo(inRange(v));
        if (f != null) {
            assertThat(f).as("bits %x", Double.doubleToRawLongBits(v)).isEqualTo(jackson(v));
            assertThat(Double.parseDouble(f)).isEqualTo(v);
        }
    }

    @Test
    void everyCentPriceUpToOneHundredThousandIsJacksonsText() {
        for (long cents = 0; cents <= 10_000_000; cents++) {
            double v = cents / 100.0; // the double a parsed "178.23" is
            String f = fast(v);
            assertThat(f).isNotNull();
            if (!f.equals(jackson(v))) { // assertThat per value would dominate the run time
                assertThat(f).as("cents %d", cents).isEqualTo(jackson(v));
            }
        }
    }

    @Test
    void randomDecimalsOfZeroToNineFractionDigitsAreJacksonsTextOrDeclined() {
        SplittableRandom r = new SplittableRandom(42);
        long[] pow10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};
        for (int i = 0; i < 1_000_000; i++) {
            int k = r.nextInt(pow10.length);
            long m = r.nextLong(1, 20_000_000L * pow10[k]);
            check(m / (double) pow10[k]);
        }
    }

    @Test
    void randomBitPatternsAndNeighboursOfShortDecimalsAreJacksonsTextOrDeclined() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 300_000; i++) {
            check(Double.longBitsToDouble(r.nextLong()));
            double near = r.nextInt(1, 100_000_000) / 1000.0;
            check(Math.nextUp(near));
            check(Math.nextDown(near));
        }
    }

    @Test
    void edgeCases() {
        double[] vs = {0.0, -0.0, 0.1 + 0.2, 0.1, 0.3, 1e-7, 1e-3, Math.nextDown(1e-3), Math.nextUp(1e-3), 0.000999,
                0.001234, 0.05, 178.0, 178.23, 100.25, 1.0, 9_999_999.0, 9_999_999.999999, 9_999_999.5,
                Math.nextDown(1e7), 1e7, 123_456_789.123, 1e22, 1e23, 9_007_199_254_740_993.0, 0.123456,
                0.1234567, 1234567.890123, 2.5e-3, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
                -1.5, -178.23, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double v : vs) {
            check(v);
        }
        assertThat(fast(178.0)).isEqualTo("178.0");
        assertThat(fast(0.05)).isEqualTo("0.05");
        assertThat(fast(0.001234)).isEqualTo("0.001234");
        assertThat(fast(0.0)).isEqualTo("0.0");
        assertThat(fast(0.1 + 0.2)).isNull(); // 0.30000000000000004
        assertThat(fast(-0.0)).isNull();
        assertThat(fast(1e7)).isNull();
        assertThat(fast(Double.NaN)).isNull();
    }
}
