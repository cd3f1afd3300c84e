package io.tickstock.core.config;

import io.tickstock.core.internal.config.Durations;
import io.tickstock.core.internal.config.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void earlierLayersWinAndBlankMeansUnset() {
        Settings s = Settings.of(Map.of("A", "props", "B", " "), Map.of("A", "env", "B", "env-b", "C", "env-c"),
                Map.of("D", "file"));
        assertThat(s.get("A")).contains("props");
        assertThat(s.get("B")).contains("env-b");
        assertThat(s.get("D")).contains("file");
        assertThat(s.get("E", "default")).isEqualTo("default");
    }

    @Test
    void envFileIsParsedWithCommentsExportsAndQuotes(@TempDir Path dir) throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, """
                # a comment
                export USE_MULTI_CONNECTION=true
                WEBSOCKET_CONNECTION_1_NAME="primary one"
                WEBSOCKET_CONNECTION_1_SYMBOLS=AAPL,MSFT # trailing comment
                EMPTY=
                not a pair
                """);
        Map<String, String> values = Settings.readEnvFile(env);
        assertThat(values).containsEntry("USE_MULTI_CONNECTION", "true")
                .containsEntry("WEBSOCKET_CONNECTION_1_NAME", "primary one")
                .containsEntry("WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT")
                .containsEntry("EMPTY", "")
                .hasSize(4);
        assertThat(Settings.readEnvFile(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void anEnvFileThatIsNotUtf8FailsWithOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path env = dir.resolve(".env");
        Files.write(env, new byte[] {'A', '=', (byte) 0xff, (byte) 0xfe, '\n'});
        assertThatThrownBy(() -> Settings.readEnvFile(env)).isInstanceOf(ConfigException.class)
                .hasMessage("Invalid configuration TICKSTOCK_ENV_FILE='" + env + "': a file in UTF-8 (this one has "
                        + "bytes that are not UTF-8; save it as UTF-8)");
    }

    @Test
    void booleansTakeTrueFalseAndTheirUsualSynonyms() {
        Settings s = Settings.of(Map.of("A", "true", "B", "off", "C", "YES", "D", "0", "E", "maybe"));
        assertThat(List.of(s.getBoolean("A", false), s.getBoolean("B", true), s.getBoolean("C", false),
                s.getBoolean("D", true))).containsExactly(true, false, true, false);
        assertThatThrownBy(() -> s.getBoolean("E", false)).isInstanceOf(ConfigException.class)
                .hasMessage("Invalid configuration E='maybe': true or false");
    }

    @Test
    void durationsAcceptMillisSecondsMinutesAndBareSeconds() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> Durations.parse("soon")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    }

    @Test
    void badValuesFailNamingKeyValueAndWhatIsAllowed() {
        Settings s = Settings.of(Map.of("N", "abc", "B", "maybe", "D", "soon", "L", "7"));
        assertThatThrownBy(() -> s.getInt("N", 3, 1, 16)).isInstanceOf(ConfigException.class)
                .hasMessage("Invalid configuration N='abc': an integer from 1 to 16");
        assertThatThrownBy(() -> s.getInt("L", 3, 1, 5)).hasMessageContaining("L='7'");
        assertThatThrownBy(() -> s.getBoolean("B", false)).hasMessage("Invalid configuration B='maybe': true or false");
        assertThatThrownBy(() -> s.getDuration("D", Duration.ZERO)).hasMessageContaining("D='soon'")
                .hasMessageContaining("500ms");
        assertThatThrownBy(() -> s.getChoice("N", "x", List.of("x", "y"))).hasMessageContaining("one of x, y");
    }

    @Test
    void secretsAreRedactedInErrorsAndToString() {
        Settings s = Settings.of(Map.of("ADMIN_PASSWORD", "hunter2", "MASSIVE_API_KEY", "k-123"));
        assertThatThrownBy(() -> s.getInt("ADMIN_PASSWORD", 0, 0, 1))
                .hasMessage("Invalid configuration ADMIN_PASSWORD=****: an integer from 0 to 1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        Secret key = s.getSecret("MASSIVE_API_KEY").orElseThrow();
        assertThat(key.toString()).isEqualTo("****");
        assertThat(key.reveal()).isEqualTo("k-123");
        assertThat(Secrets.redactUrl("redis://user:pw@localhost:6379/0")).isEqualTo("redis://user:****@localhost:6379/0");
        assertThat(Secrets.redactUrl("redis://localhost:6379")).isEqualTo("redis://localhost:6379");
    }
}
