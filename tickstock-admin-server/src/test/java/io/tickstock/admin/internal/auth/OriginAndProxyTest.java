package io.tickstock.admin.internal.auth;

import io.tickstock.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginAndProxyTest {
    @Test
    void originsMatchOnSchemeHostAndPortWithDefaultPorts() {
        assertThat(AccessGuard.sameOrigin("http://127.0.0.1:8080", "http", "127.0.0.1:8080")).isTrue();
        assertThat(AccessGuard.sameOrigin("http://Gateway.example", "http", "gateway.example")).isTrue();
        assertThat(AccessGuard.sameOrigin("http://gateway.example:80", "http", "gateway.example")).isTrue();
        assertThat(AccessGuard.sameOrigin("https://gateway.example", "https", "gateway.example:443")).isTrue();
        assertThat(AccessGuard.sameOrigin("http://[::1]:8080", "http", "[::1]:8080")).isTrue();

        // a Host without a port means the scheme's default port, not "any port"
        assertThat(AccessGuard.sameOrigin("http://gateway.example:8081", "http", "gateway.example")).isFalse();
        assertThat(AccessGuard.sameOrigin("https://gateway.example", "http", "gateway.example")).isFalse();
        assertThat(AccessGuard.sameOrigin("http://gateway.example", "https", "gateway.example")).isFalse();
        assertThat(AccessGuard.sameOrigin("http://127.0.0.1:9090", "http", "127.0.0.1:8080")).isFalse();
        assertThat(AccessGuard.sameOrigin("http://evil.example", "http", "gateway.example")).isFalse();
        assertThat(AccessGuard.sameOrigin("null", "http", "gateway.example")).isFalse();
        assertThat(AccessGuard.sameOrigin("http://gateway.example/x", "http", "gateway.example")).isFalse();
        assertThat(AccessGuard.sameOrigin("http://evil@gateway.example", "http", "gateway.example")).isFalse();
        assertThat(AccessGuard.sameOrigin("http://gateway.example", "http", "evil@gateway.example")).isFalse();
        assertThat(AccessGuard.sameOrigin("ftp://gateway.example", "http", "gateway.example")).isFalse();
        assertThat(AccessGuard.sameOrigin("http://gateway.example", "http", null)).isFalse();
        assertThat(AccessGuard.sameOrigin("http://gate way", "http", "gate way")).isFalse();
    }

    @Test
    void forwardingHeadersCountOnlyFromTrustedProxies() {
        TrustedProxies p = TrustedProxies.parse("ADMIN_TRUSTED_PROXIES", List.of("127.0.0.1", "::1"));
        assertThat(p.scheme("127.0.0.1", "http", "https")).isEqualTo("https");
        assertThat(p.scheme("0:0:0:0:0:0:0:1", "http", "https")).isEqualTo("https");
        assertThat(p.scheme("[::1]", "http", "https, http")).isEqualTo("https");
        assertThat(p.scheme("10.0.0.9", "http", "https")).isEqualTo("http"); // anyone can send the header
        assertThat(p.scheme("127.0.0.1", "http", "gopher")).isEqualTo("http");
        assertThat(TrustedProxies.NONE.scheme("127.0.0.1", "http", "https")).isEqualTo("http");

        assertThat(p.client("127.0.0.1", "203.0.113.7")).isEqualTo("203.0.113.7");
        // the left part is the client's to forge: the rightmost address a trusted proxy added wins
        assertThat(p.client("127.0.0.1", "1.1.1.1, 203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(p.client("127.0.0.1", "203.0.113.7, 127.0.0.1")).isEqualTo("203.0.113.7");
        assertThat(p.client("127.0.0.1", "not-an-address")).isEqualTo("127.0.0.1");
        assertThat(p.client("10.0.0.9", "203.0.113.7")).isEqualTo("10.0.0.9");
        assertThat(p.client("127.0.0.1", null)).isEqualTo("127.0.0.1");
    }

    @Test
    void trustedProxiesAreAddressesNeverNames() {
        assertThatThrownBy(() -> TrustedProxies.parse("ADMIN_TRUSTED_PROXIES", List.of("127.0.0.1", "proxy.internal")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ADMIN_TRUSTED_PROXIES")
                .hasMessageContaining("proxy.internal");
        assertThatThrownBy(() -> TrustedProxies.parse("ADMIN_TRUSTED_PROXIES", List.of("300.1.1.1")))
                .isInstanceOf(ConfigException.class);
        assertThat(TrustedProxies.parse("ADMIN_TRUSTED_PROXIES", List.of()).isEmpty()).isTrue();
    }
}
