package io.tickstock.core.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {
    @Test
    void newlinesAndControlCharactersCannotForgeALogLine() {
        String forged = "Maximum number of connections exceeded.\n12:00:00.000 INFO  i.t.admin.AdminServer - all good\r\u001b[31m";
        assertThat(SafeText.of(forged)).isEqualTo("Maximum number of connections exceeded.\\n12:00:00.000 INFO  "
                + "i.t.admin.AdminServer - all good\\r\\u001b[31m").doesNotContain("\n", "\r", "\u001b");
    }

    @Test
    void unicodeLineSeparatorsAndBidiOverridesAreEscaped() {
        assertThat(SafeText.of("a\u2028b\u202ec\u0085d")).isEqualTo("a\\u2028b\\u202ec\\u0085d");
    }

    @Test
    void longTextIsCappedAndSaysHowMuchWasCut() {
        String s = "x".repeat(10_000);
        assertThat(SafeText.of(s)).isEqualTo("x".repeat(200) + "…(+9800 chars)");
        assertThat(SafeText.of("short")).isSameAs("short");
        assertThat(SafeText.of(null)).isNull();
    }

    @Test
    void neverCutsASurrogatePair() {
        String s = "a".repeat(199) + "\uD83D\uDE00" + "tail";
        assertThat(SafeText.of(s)).isEqualTo("a".repeat(199) + "…(+6 chars)");
    }
}
