package io.tickstock.feed.massive.internal;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Each word answer must equal a byte-by-byte reading, for every kind of byte around the digits and quotes. */
class EightBytesTest {
    private static final int[] INTERESTING = {'0', '9', '/', ':', '"', '\\', ' ', '!', '~', 0x1f, 0x7f, 0x80, 0xff, 0, '.', 'e'};

    @Test
    void wordsReadAsByteByByte() {
        Random random = new Random(7);
        byte[] bytes = new byte[8];
        for (int c = 0; c < 500_000; c++) {
            for (int i = 0; i < 8; i++) {
                int kind = random.nextInt(4);
                bytes[i] = (byte) (kind == 0 ? random.nextInt(256)
                        : kind == 1 ? INTERESTING[random.nextInt(INTERESTING.length)] : '0' + random.nextInt(10));
            }
            long word = EightBytes.read(bytes, 0);
            int digits = 0;
            while (digits < 8 && bytes[digits] >= '0' && bytes[digits] <= '9') {
                digits++;
            }
            assertThat(EightBytes.leadingDigits(word)).as("digits of %s", java.util.Arrays.toString(bytes)).isEqualTo(digits);
            for (int n = 1; n <= digits; n++) {
                assertThat(EightBytes.digits(word, n)).isEqualTo(Long.parseLong(new String(bytes, 0, n, java.nio.charset.StandardCharsets.US_ASCII)));
            }
            int plain = 0;
            while (plain < 8 && bytes[plain] > ' ' && bytes[plain] <= '~' && bytes[plain] != '"' && bytes[plain] != '\\') {
                plain++;
            }
            assertThat(EightBytes.leadingPlain(word)).as("plain of %s", java.util.Arrays.toString(bytes)).isEqualTo(plain);
        }
    }

    @Test
    void theFirstByteOfTheTextIsTheLowestOfTheWord() {
        byte[] text = "12345678\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(EightBytes.digits(EightBytes.read(text, 0), 8)).isEqualTo(12_345_678L);
        assertThat(EightBytes.digits(EightBytes.read(text, 0), 3)).isEqualTo(123L);
        assertThat(EightBytes.leadingPlain(EightBytes.read(text, 1))).isEqualTo(7);
    }
}
