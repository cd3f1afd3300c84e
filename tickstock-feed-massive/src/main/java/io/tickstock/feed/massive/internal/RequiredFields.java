package io.tickstock.feed.massive.internal;

/**
 * Presence bits of the fields an event type requires, and the set each type needs: one definition
 * for both decode paths, so that they cannot disagree on what makes an event complete.
 */
final class RequiredFields {
    static final int P = 1;
    static final int S = 1 << 1;
    static final int T = 1 << 2;
    static final int BP = 1 << 3;
    static final int AP = 1 << 4;
    static final int O = 1 << 5;
    static final int C = 1 << 6;
    static final int H = 1 << 7;
    static final int L = 1 << 8;
    static final int V = 1 << 9;
    static final int E = 1 << 10;
    static final int FMV = 1 << 11;

    static final int TRADE = P | S | T;
    static final int QUOTE = BP | AP | T;
    static final int AGGREGATE = O | C | H | L | V | S | E;
    static final int LULD = H | L | T;
    static final int FAIR_MARKET_VALUE = FMV | T;

    private RequiredFields() {
    }
}
