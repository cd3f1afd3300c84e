package io.tickstock.admin;

import io.tickstock.admin.internal.auth.PasswordHasher;
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
                                + "[--help | --version | --check-config | hash-password [--iterations N]]",
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

    /** Runs with {@code TICKSTOCK_ENV_FILE} pointing at a .env holding {@code content}. */
    private int runWithEnvFile(byte[] content, String... args) throws Exception {
        java.nio.file.Path env = java.nio.file.Files.createTempFile("tickstock-test", ".env");
        java.nio.file.Files.write(env, content);
        System.setProperty(Settings.ENV_FILE_KEY, env.toString());
        try {
            return run("", args);
        } finally {
            System.clearProperty(Settings.ENV_FILE_KEY);
            java.nio.file.Files.delete(env);
        }
    }

    @Test
    void checkConfigPrintsTheEffectiveConfigurationWithSecretsMaskedAndNamesMisspeltKeys() throws Exception {
        int code = runWithEnvFile("""
                MASSIVE_API_KEY=sk-live-do-not-print
                MASSIVE_WEBSOCKET_URL=wss://feeduser:url-pw-do-not-print@feed.example.com/stocks
                REDIS_URL=redis://:redis-pw-do-not-print@127.0.0.1:6379/0
                ADMIN_PROT=9000
                WEBSOCKET_CONNECTIONS_MAX=3
                """.getBytes(StandardCharsets.UTF_8), "--check-config");
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(printed).contains("\n  MASSIVE_API_KEY=****\n")
                .contains("\n  REDIS_URL=redis://:****@127.0.0.1:6379/0\n")
                .contains("\n  ADMIN_PORT=8080  (default)\n")
                .contains("\n  WEBSOCKET_CONNECTIONS_MAX=3\n")
                .contains("\n  MASSIVE_WEBSOCKET_URL=wss://feeduser:****@feed.example.com/stocks\n")
                .contains("Warning: Configuration key ADMIN_PROT is set but not used; did you mean ADMIN_PORT?")
                .endsWith("Configuration OK (1 warning)" + System.lineSeparator())
                .doesNotContain("do-not-print");
    }

    @Test
    void checkConfigExits78NamingTheBadKey() throws Exception {
        assertThat(runWithEnvFile("WEBSOCKET_CONNECTIONS_MAX=99\n".getBytes(StandardCharsets.UTF_8), "--check-config"))
                .isEqualTo(78);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(
                "Configuration error: Invalid configuration WEBSOCKET_CONNECTIONS_MAX='99': ");
        err.reset();
        assertThat(runWithEnvFile("REDIS_URL=redis://:pw-never-shown@host:notaport\n".getBytes(StandardCharsets.UTF_8),
                "--check-config")).isEqualTo(78);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Configuration error: Invalid configuration REDIS_URL=****")
                .doesNotContain("pw-never-shown");
    }

    @Test
    void anEnvFileThatIsNotUtf8StopsStartUpWithOneLineNamingTheKeyBeforeAnythingStarts() throws Exception {
        byte[] latin1 = "ADMIN_PASSWORD=caf\u00e9-password\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(runWithEnvFile(latin1)).isEqualTo(78);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).startsWith("Cannot start: Invalid configuration TICKSTOCK_ENV_FILE=")
                .contains("a file in UTF-8").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(e.lines()).hasSize(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty(); // no banner: nothing was started
    }

    @Test
    void anUnwritableAuditLogIsRefusedNamingItsKey() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("tickstock-not-a-dir", ".txt");
        try {
            assertThat(runWithEnvFile(("ADMIN_AUDIT_LOG=" + file + "/audit.log\n").getBytes(StandardCharsets.UTF_8),
                    "--check-config")).isEqualTo(78);
            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Configuration error: Invalid configuration "
                    + "ADMIN_AUDIT_LOG='" + file + "/audit.log': a file in a writable directory (" + file + " is not one)");
        } finally {
            java.nio.file.Files.delete(file);
        }
    }
}
