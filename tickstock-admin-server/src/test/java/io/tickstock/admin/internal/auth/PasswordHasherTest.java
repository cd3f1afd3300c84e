package io.tickstock.admin.internal.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHasherTest {
    @Test
    void hashVerifiesTheRightPasswordOnly() {
        String h = PasswordHasher.hash("correct horse".toCharArray(), 1000);
        assertThat(h).matches("pbkdf2_sha256\\$1000\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+");
        assertThat(PasswordHasher.verify("correct horse".toCharArray(), h)).isTrue();
        assertThat(PasswordHasher.verify("correct horsE".toCharArray(), h)).isFalse();
    }

    @Test
    void samePasswordHashesDifferentlyEachTime() {
        assertThat(PasswordHasher.hash("pw-12345".toCharArray(), 1000))
                .isNotEqualTo(PasswordHasher.hash("pw-12345".toCharArray(), 1000));
    }

    @Test
    void anUnmatchableHashHasTheRequestedCostAndMatchesNothing() {
        String dummy = PasswordHasher.unmatchable(1000);
        assertThat(PasswordHasher.iterations(dummy)).isEqualTo(1000);
        assertThat(PasswordHasher.verify("".toCharArray(), dummy)).isFalse();
        assertThat(PasswordHasher.verify("anything-at-all".toCharArray(), dummy)).isFalse();
    }

    @Test
    void malformedHashesAreRejectedWithoutEchoingThem() {
        assertThatThrownBy(() -> PasswordHasher.validate("md5$abc")).hasMessageContaining("pbkdf2_sha256$<iterations>")
                .hasMessageNotContaining("abc");
        assertThatThrownBy(() -> PasswordHasher.validate("pbkdf2_sha256$10$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA=="))
                .hasMessageContaining("from 1000 to 5000000");
        assertThatThrownBy(() -> PasswordHasher.validate("pbkdf2_sha256$5000001$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA=="))
                .hasMessageContaining("from 1000 to 5000000");
        assertThatThrownBy(() -> PasswordHasher.validate("pbkdf2_sha256$999999999999$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA=="))
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> PasswordHasher.validate("pbkdf2_sha256$1000$!!!$???")).hasMessageContaining("base64");
        String b64 = java.util.Base64.getEncoder().encodeToString(new byte[48]);
        String salt = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        // a 48-byte hash would cost two PBKDF2 runs per check
        assertThatThrownBy(() -> PasswordHasher.validate("pbkdf2_sha256$1000$" + salt + "$" + b64))
                .hasMessageContaining("hash 16 to 32 bytes");
        assertThatThrownBy(() -> PasswordHasher.validate("pbkdf2_sha256$1000$"
                + java.util.Base64.getEncoder().encodeToString(new byte[65]) + "$" + salt))
                .hasMessageContaining("salt must be 8 to 64 bytes");
    }
}
