package io.tickstock.feed.massive.emulator;

/** Where each ticker's random walk starts. */
final class ReferencePrices {
    private ReferencePrices() {
    }

    /** The reference price of {@code ticker} in cents; {@code tickerSeed} picks a fallback for unknown ones. */
    static long cents(String ticker, long tickerSeed) {
        return 1_000 + Math.floorMod(tickerSeed, 49_000); // 10.00 .. 500.00
    }
}
