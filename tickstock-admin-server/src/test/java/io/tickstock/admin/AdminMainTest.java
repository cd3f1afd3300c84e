package io.tickstock.admin;

import io.tickstock.admin.auth.PasswordHasher;
import io.tickstock.core.config.Settings;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AdminMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) throws Exception {
        return AdminMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void helpAndVersion() throws Exception {
        assertThat(run("", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("hash-password").contains("--version")
                .startsWith("Usage: java -cp <classpath> io.tickstock.admin.AdminMain [--help | --version"); // from classes
        out.reset();
        assertThat(run("", "--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).matches("tickstock \\d+\\.\\d+\\.\\d+.*\\s*");
    }

    @Test
    void theUsageNamesTheCommandThatRanIt() {
        assertThat(AdminMain.usage("java -jar tickstock-admin-server/target/tickstock-admin-server-all.jar").lines().limit(2))
                .containsExactly("Usage: java -jar tickstock-admin-server/target/tickstock-admin-server-all.jar "
                                + "[--help | --version | hash-password [--iterations N]]",
                        "       (scripts/run builds this jar when needed and runs it with the same arguments)");
    }

    @Test
    void hashPasswordPrintsAUsableHashAndNothingElse() throws Exception {
        assertThat(run("s3cret-password\n", "hash-password", "--iterations", "1000")).isZero();
        String hash = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(hash).startsWith("pbkdf2_sha256$1000$").doesNotContain("s3cret");
        assertThat(PasswordHasher.verify("s3cret-password".toCharArray(), hash)).isTrue();
    }

    @Test
    void badArgumentsAndShortPasswordsAreRefused() throws Exception {
        assertThat(run("", "--frobnicate")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown argument").contains("Usage");
        assertThat(run("short\n", "hash-password")).isEqualTo(1);
        assertThat(run("long-enough-pw\n", "hash-password", "--iterations", "10")).isEqualTo(64);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void startupErrorsNeverPrintConfiguredSecrets() {
        Settings s = Settings.of(Map.of("MASSIVE_API_KEY", "key-abc-123456", "ADMIN_PASSWORD", "pw-xyz-98765"));
        assertThat(AdminMain.redact("auth with key-abc-123456 and pw-xyz-98765 failed", s))
                .isEqualTo("auth with **** and **** failed");
    }
}
