package io.tickstock.benchmarks.core;

/** Synthetic but valid tickers: A, B, … Z, AA, AB … (bijective base 26). */
public final class BenchTickers {
    private BenchTickers() {
    }

    public static String ticker(int n) {
        StringBuilder sb = new StringBuilder();
        int i = n + 1;
        while (i > 0) {
            i--;
            sb.append((char) ('A' + i % 26));
            i /= 26;
        }
        return sb.reverse().toString();
    }
}
