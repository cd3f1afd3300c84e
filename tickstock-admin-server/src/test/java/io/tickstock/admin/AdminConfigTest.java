package io.tickstock.admin;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminConfigTest {
    @Test
    void defaultsFollowTheSpec() {
        AdminConfig c = AdminConfig.from(Settings.of(Map.of()));
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.dashboardEnabled()).isTrue();
        assertThat(c.adminUsername()).isEqualTo("admin");
        assertThat(c.passwordGenerated()).isTrue();
        assertThat(c.adminPassword().orElseThrow().reveal()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(c.metricsInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.auditLog().toString()).isEqualTo("logs/audit.log");
    }

    @Test
    void badValuesNameTheKeyAndNeverThePassword() {
        assertThatThrownBy(() -> AdminConfig.from(Settings.of(Map.of("ADMIN_PORT", "80000"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ADMIN_PORT").hasMessageContaining("80000");
        assertThatThrownBy(() -> AdminConfig.from(Settings.of(Map.of("ADMIN_RATE_LIMIT_API", "lots"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ADMIN_RATE_LIMIT_API");
        assertThatThrownBy(() -> AdminConfig.from(Settings.of(Map.of("ADMIN_METRICS_INTERVAL", "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ADMIN_METRICS_INTERVAL");
        assertThatThrownBy(() -> AdminConfig.from(Settings.of(Map.of("ADMIN_PASSWORD", "short1"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ADMIN_PASSWORD").hasMessageNotContaining("short1");
    }

    @Test
    void aGeneratedPasswordIsLettersAndDigitsOnlySoADoubleClickCopiesAllOfIt() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String p = AdminConfig.generatePassword();
            assertThat(p).matches("[A-HJ-NP-Za-km-z2-9]{20}"); // never '-', '_', 0/O, 1/l/I
            seen.add(p);
        }
        assertThat(seen).hasSize(2_000);
        assertThat(AdminConfig.from(Settings.of(Map.of())).adminPassword().orElseThrow().reveal())
                .matches("[A-HJ-NP-Za-km-z2-9]{20}");
    }

    @Test
    void theLogFormatIsTextOrJsonAndAnythingElseFailsStartUpNamingTheKey() {
        AdminConfig.from(Settings.of(Map.of("TICKSTOCK_LOG_FORMAT", "JSON")));
        AdminConfig.from(Settings.of(Map.of("TICKSTOCK_LOG_FORMAT", "text")));
        assertThatThrownBy(() -> AdminConfig.from(Settings.of(Map.of("TICKSTOCK_LOG_FORMAT", "xml"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TICKSTOCK_LOG_FORMAT")
                .hasMessageContaining("xml").hasMessageContaining("text, json");
    }

    @Test
    void aUsersFileWithoutPasswordMeansNoGeneratedAdmin() {
        AdminConfig c = AdminConfig.from(Settings.of(Map.of("ADMIN_USERS_FILE", "/etc/tickstock/users")));
        assertThat(c.adminPassword()).isEmpty();
        assertThat(c.passwordGenerated()).isFalse();
        assertThat(c.toString()).doesNotContain("password=");
    }

    @Test
    void securityLimitsHaveDefaultsAndRefuseBadValuesNamingTheKey() {
        AdminConfig c = AdminConfig.from(Settings.of(Map.of()));
        assertThat(c.authFailureRateLimit().toString()).isEqualTo("10/1m");
        assertThat(c.auditMaxBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(c.auditMaxFiles()).isEqualTo(5);
        assertThat(c.trustedProxies().isEmpty()).isTrue();

        AdminConfig set = AdminConfig.from(Settings.of(Map.of("ADMIN_AUDIT_LOG_MAX_SIZE", "512KB",
                "ADMIN_TRUSTED_PROXIES", "127.0.0.1, ::1", "ADMIN_RATE_LIMIT_AUTH_FAILURES", "5/5m")));
        assertThat(set.auditMaxBytes()).isEqualTo(512L * 1024);
        assertThat(set.trustedProxies().trusts("::1")).isTrue();
        assertThat(set.authFailureRateLimit().count()).isEqualTo(5);

        for (Map.Entry<String, String> bad : Map.of("ADMIN_AUDIT_LOG_MAX_SIZE", "huge", "ADMIN_AUDIT_LOG_MAX_FILES", "0",
                "ADMIN_TRUSTED_PROXIES", "proxy.local", "ADMIN_RATE_LIMIT_AUTH_FAILURES", "often").entrySet()) {
            assertThatThrownBy(() -> AdminConfig.from(Settings.of(Map.of(bad.getKey(), bad.getValue()))))
                    .isInstanceOf(ConfigException.class).hasMessageContaining(bad.getKey())
                    .hasMessageContaining(bad.getValue());
        }
        assertThatThrownBy(() -> AdminConfig.from(Settings.of(Map.of("ADMIN_AUDIT_LOG_MAX_SIZE", "1KB"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("from 4KB to 1TB");
    }

    @Test
    void sizesAreReadAsLogbackWritesThem() {
        Map<String, Long> sizes = Map.of("4096", 4096L, "512KB", 512L << 10, "10 mb", 10L << 20, "1GB", 1L << 30,
                "2GBs", 2L << 30, " 64kb ", 64L << 10);
        sizes.forEach((text, bytes) -> assertThat(AdminConfig.from(Settings.of(Map.of("ADMIN_AUDIT_LOG_MAX_SIZE", text)))
                .auditMaxBytes()).as(text).isEqualTo(bytes));
        for (String bad : new String[] {"MB", "10TB", "1.5MB", "-1MB", "10 M", "99999999999999999999GB", "2048GB"}) {
            assertThatThrownBy(() -> AdminConfig.from(Settings.of(Map.of("ADMIN_AUDIT_LOG_MAX_SIZE", bad))))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("ADMIN_AUDIT_LOG_MAX_SIZE");
        }
    }
}
