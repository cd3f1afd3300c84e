package io.tickstock.core.internal.config;

import io.tickstock.core.config.Settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyCheckTest {
    @Test
    void aMisspeltKeyIsNamedWithTheKeyItResembles() {
        Settings s = Settings.of(Map.of("REDIS_URI", "redis://x", "ADMIN_PROT", "9000", "WEBSOCKET_CONNECTIONS_MAX", "3",
                "PATH", "/usr/bin", "TICKSTOCK_NONSENSE_THING", "1"));
        s.get("REDIS_URL");
        s.getInt("ADMIN_PORT", 8080, 0, 65535);
        s.getInt("WEBSOCKET_CONNECTIONS_MAX", 3, 1, 16);
        s.getDuration("REDIS_COMMAND_TIMEOUT", Duration.ofSeconds(2));
        List<KeyCheck.Unused> unused = KeyCheck.unused(s, KeyCheck.GATEWAY_PREFIXES);
        assertThat(unused).containsExactly(
                new KeyCheck.Unused("ADMIN_PROT", Optional.of("ADMIN_PORT")),
                new KeyCheck.Unused("REDIS_URI", Optional.of("REDIS_URL")),
                new KeyCheck.Unused("TICKSTOCK_NONSENSE_THING", Optional.empty()));
        assertThat(unused.get(1).message()).isEqualTo(
                "Configuration key REDIS_URI is set but not used; did you mean REDIS_URL?");
        assertThat(unused.get(2).message()).isEqualTo(
                "Configuration key TICKSTOCK_NONSENSE_THING is set but not used by this configuration");
    }

    @Test
    void readKeysFormTheRegistryWithTheirDefaults() {
        Settings s = Settings.of(Map.of());
        s.with(Map.of("A", "1")).getInt("ADMIN_PORT", 8080, 0, 65535); // copies share the registry
        s.getDuration("REDIS_COMMAND_TIMEOUT", Duration.ofSeconds(2));
        s.get("REDIS_URL");
        assertThat(s.knownKeys()).containsExactly("ADMIN_PORT", "REDIS_COMMAND_TIMEOUT", "REDIS_URL");
        assertThat(s.defaultOf("ADMIN_PORT")).contains("8080");
        assertThat(s.defaultOf("REDIS_COMMAND_TIMEOUT")).contains("2s");
        assertThat(s.defaultOf("REDIS_URL")).isEmpty();
    }

    @Test
    void transpositionsCountAsOneEdit() {
        assertThat(KeyCheck.distance("ADMIN_PROT", "ADMIN_PORT")).isEqualTo(1);
        assertThat(KeyCheck.closest("MASSIVE_API_KYE", List.of("MASSIVE_API_KEY", "ADMIN_PORT"))).contains("MASSIVE_API_KEY");
    }
}
