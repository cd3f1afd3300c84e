package io.tickstock.feed.massive;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Settings;
import io.tickstock.core.event.EventType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MassiveConfigTest {
    @Test
    void defaultsFollowTheSpec() {
        MassiveConfig c = MassiveConfig.from(Settings.of(Map.of()));
        assertThat(c.apiKey()).isEmpty();
        assertThat(c.url().toString()).isEqualTo("wss://socket.massive.com/stocks");
        assertThat(c.tls()).isTrue();
        assertThat(c.port()).isEqualTo(443);
        assertThat(c.channels()).containsExactly(EventType.A);
        assertThat(c.maxRetries()).isEqualTo(-1);
        assertThat(c.reconnectDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.maxFrameBytes()).isEqualTo(1 << 20);
        assertThat(c.compression()).isTrue();
    }

    @Test
    void channelsAreParsedAndValidated() {
        MassiveConfig c = MassiveConfig.from(Settings.of(Map.of(MassiveConfig.CHANNELS, "t, Q,AM,LULD,FMV,T")));
        assertThat(c.channels()).containsExactly(EventType.T, EventType.Q, EventType.AM, EventType.LULD,
                EventType.FMV);
        assertThatThrownBy(() -> MassiveConfig.from(Settings.of(Map.of(MassiveConfig.CHANNELS, "T,XX"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("MASSIVE_SUBSCRIPTION_CHANNELS").hasMessageContaining("XX");
    }

    @Test
    void badValuesNameTheirKeyAndTheKeyNeverShows() {
        assertThatThrownBy(() -> MassiveConfig.from(Settings.of(Map.of(MassiveConfig.URL, "http://x/stocks"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MASSIVE_WEBSOCKET_URL");
        assertThatThrownBy(() -> MassiveConfig.from(Settings.of(Map.of(MassiveConfig.MAX_RETRIES, "-5"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MASSIVE_WEBSOCKET_MAX_RETRIES");
        assertThatThrownBy(() -> MassiveConfig.from(Settings.of(Map.of(MassiveConfig.RECONNECT_DELAY, "10s",
                MassiveConfig.RECONNECT_MAX_DELAY, "5s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MASSIVE_WEBSOCKET_RECONNECT_MAX_DELAY");
        assertThatThrownBy(() -> MassiveConfig.from(Settings.of(Map.of(MassiveConfig.PING_INTERVAL, "30s",
                MassiveConfig.SILENCE_TIMEOUT, "20s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MASSIVE_WEBSOCKET_SILENCE_TIMEOUT");
        MassiveConfig c = MassiveConfig.from(Settings.of(Map.of(MassiveConfig.API_KEY, "s3cret",
                MassiveConfig.MAX_RETRIES, "unlimited")));
        assertThat(c.toString()).doesNotContain("s3cret");
        assertThat(c.maxRetries()).isEqualTo(-1);
    }

    @Test
    void plainWsUrlsUsePort80UnlessGiven() {
        MassiveConfig c = MassiveConfig.defaults("ws://127.0.0.1:9000/stocks", "k").withChannels(List.of(EventType.T));
        assertThat(c.tls()).isFalse();
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.apiKey().orElseThrow().reveal()).isEqualTo("k");
        assertThat(MassiveConfig.defaults("ws://localhost/stocks", "k").port()).isEqualTo(80);
    }

    @Test
    void toStringShowsNeitherTheKeyNorTheUrlsPassword() {
        MassiveConfig c = MassiveConfig.from(Settings.of(Map.of(MassiveConfig.API_KEY, "key-s3cret-123",
                MassiveConfig.URL, "wss://feeduser:url-s3cret-456@socket.massive.com/stocks")));
        assertThat(c.toString()).doesNotContain("key-s3cret-123").doesNotContain("url-s3cret-456")
                .contains("socket.massive.com/stocks").contains("feeduser");
    }
}
