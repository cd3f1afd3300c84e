package io.tickstock.feed.massive.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SymbolCacheTest {
    private static String get(SymbolCache cache, String s) {
        return cache.get(s.toCharArray(), 0, s.length());
    }

    @Test
    void aFloodOfDistinctSymbolsNeverHoldsMoreThanTheFixedNumberOfSlots() {
        SymbolCache cache = new SymbolCache();
        for (int i = 0; i < 200_000; i++) {
            assertThat(get(cache, "Z" + i)).isEqualTo("Z" + i);
        }
        assertThat(cache.size()).isPositive().isLessThanOrEqualTo(SymbolCache.SLOTS);
    }

    @Test
    void theSameTextGivesTheSameInstanceAndLongTextIsNotKept() {
        SymbolCache cache = new SymbolCache();
        assertThat(get(cache, "AAPL")).isSameAs(get(cache, "AAPL"));
        String longText = "X".repeat(17);
        assertThat(get(cache, longText)).isEqualTo(longText).isNotSameAs(get(cache, longText));
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void bytesAndCharsShareInstancesAndAFloodIsCountedAsEvictions() {
        SymbolCache cache = new SymbolCache();
        byte[] frame = "xxMSFTyy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(cache.getAscii(frame, 2, 4)).isEqualTo("MSFT").isSameAs(get(cache, "MSFT"));
        for (int i = 0; i < 12_000; i++) { // a whole market's tickers fit without replacing one another
            get(cache, "T" + i);
        }
        assertThat(cache.evictions()).isZero();
        for (int i = 0; i < 100_000; i++) {
            get(cache, "Z" + i);
        }
        assertThat(cache.size()).isEqualTo(SymbolCache.SLOTS);
        assertThat(cache.evictions()).isEqualTo(12_001 + 100_000 - SymbolCache.SLOTS);
    }

    @Test
    void everyTextComesBackEqualWhateverItsLengthOrCharactersAndAsciiIsSharedByBothPaths() {
        SymbolCache cache = new SymbolCache();
        java.util.Random random = new java.util.Random(42);
        char[] alphabet = {'A', 'B', '.', 'z', '0', '\u0001', '\u007f', '\u0080', '\u00e9', '\u20ac'};
        for (int n = 0; n < 50_000; n++) {
            char[] text = new char[random.nextInt(18)];
            for (int i = 0; i < text.length; i++) {
                text[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String expected = new String(text);
            String got = cache.get(text, 0, text.length);
            assertThat(got).isEqualTo(expected);
            if (expected.chars().allMatch(c -> c < 0x80) && text.length <= 16) {
                byte[] bytes = ("<" + expected + ">").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(cache.getAscii(bytes, 1, text.length)).isSameAs(got);
            }
        }
    }

    @Test
    void textsOfEightAndNineCharactersThatShareAPrefixStayApart() {
        SymbolCache cache = new SymbolCache();
        assertThat(get(cache, "ABCDEFGH")).isEqualTo("ABCDEFGH");
        assertThat(get(cache, "ABCDEFGHI")).isEqualTo("ABCDEFGHI");
        assertThat(get(cache, "BCDEFGH")).isEqualTo("BCDEFGH");
        assertThat(get(cache, "A")).isEqualTo("A").isSameAs(get(cache, "A"));
        assertThat(get(cache, "")).isEmpty();
        assertThat(get(cache, "ABCDEFGH")).isSameAs(get(cache, "ABCDEFGH"));
    }

    @Test
    void aSeededStringIsTheInstanceDecodedFromThenOnWhetherTheTextWasHeldBeforeOrNot() {
        SymbolCache cache = new SymbolCache();
        String held = get(cache, "MSFT");
        String seededOver = new String("MSFT".toCharArray());
        String seededNew = new String("NVDA".toCharArray());
        String seededLong = new String("ABCDEFGHIJKL".toCharArray()); // longer than eight: compared as text
        cache.seed(seededOver);
        cache.seed(seededNew);
        cache.seed(seededLong);
        byte[] frame = "MSFT NVDA ABCDEFGHIJKL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(cache.getAscii(frame, 0, 4)).isSameAs(seededOver).isNotSameAs(held);
        assertThat(cache.getAscii(frame, 5, 4)).isSameAs(seededNew);
        assertThat(cache.getAscii(frame, 10, 12)).isSameAs(seededLong);
        assertThat(get(cache, "NVDA")).isSameAs(seededNew);
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void seedingAFloodStaysWithinTheFixedNumberOfSlots() {
        SymbolCache cache = new SymbolCache();
        String last = null;
        for (int i = 0; i < 100_000; i++) {
            last = "S" + i;
            cache.seed(last);
        }
        cache.seed("X".repeat(40)); // too long to keep: ignored
        cache.seed("\u20ac"); // never decoded from the feed's bytes: ignored
        // every seed took an empty slot or replaced one (counted): nothing else was kept
        assertThat(cache.evictions()).isEqualTo(100_000L - cache.size()).isPositive();
        byte[] text = last.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(cache.getAscii(text, 0, text.length)).isSameAs(last);
    }
}
