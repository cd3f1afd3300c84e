package io.tickstock.redis;

/**
 * Writes a price the way Jackson's fast double writer does, without its general algorithm, for the
 * values feeds send: finite, in [0.001, 10^7), and a decimal of at most six fraction digits.
 *
 * <p>Why the output is Jackson's: with {@code k} the fewest fraction digits for which
 * {@code Math.round(v * 10^k) / 10^k == v}, the decimal {@code m / 10^k} reads back as {@code v}
 * (the division of two exactly represented numbers is correctly rounded), and no decimal with fewer
 * fraction digits does (in this range the spacing 10^-k is far wider than the interval of decimals
 * that read back as {@code v}, so such a decimal would have been found by the rounding). That is the
 * shortest decimal, which Jackson prints in plain notation with at least one fraction digit in this
 * range. {@code PriceDecimalTest} checks it against Jackson over grids and random values.
 */
final class PriceDecimal {
    /** The most characters {@link #write} produces: seven integer digits, the point, six fraction digits. */
    static final int MAX_LENGTH = 14;

    private static final int MAX_FRACTION_DIGITS = 6;
    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    private static final long[] LONG_POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    private PriceDecimal() {
    }

    /**
     * Writes {@code v} at {@code b[p]} and returns the end, or -1 (nothing meaningful written) when
     * {@code v} is outside the range this class is exact for. Needs {@link #MAX_LENGTH} bytes of room.
     */
    static int write(byte[] b, int p, double v) {
        if (Double.doubleToRawLongBits(v) == 0L) { // +0.0 (a one-sided quote); -0.0 is left to Jackson
            b[p] = '0';
            b[p + 1] = '.';
            b[p + 2] = '0';
            return p + 3;
        }
        if (!(v >= 1e-3 && v < 1e7)) { // also false for NaN
            return -1;
        }
        for (int k = 0; k <= MAX_FRACTION_DIGITS; k++) {
            long m = Math.round(v * POW10[k]);
            if (m / POW10[k] == v) {
                return print(b, p, m, k);
            }
        }
        return -1;
    }

    private static int print(byte[] b, int p, long m, int k) {
        long unit = LONG_POW10[k];
        long integer = m / unit;
        long fraction = m - integer * unit;
        p = JsonBytes.writeLong(b, p, integer);
        b[p++] = '.';
        if (k == 0) {
            b[p++] = '0';
            return p;
        }
        for (int i = k - 1; i >= 0; i--) { // zero-padded: 0.05 is m=5, k=2
            b[p + i] = (byte) ('0' + fraction % 10);
            fraction /= 10;
        }
        return p + k;
    }
}
