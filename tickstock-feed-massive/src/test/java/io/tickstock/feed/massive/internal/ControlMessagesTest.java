package io.tickstock.feed.massive.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ControlMessagesTest {
    @Test
    void theApiKeyIsEscapedAsAJsonString() {
        assertThat(ControlMessages.auth("a\"b\\c\nd")).isEqualTo("{\"action\":\"auth\",\"params\":\"a\\\"b\\\\c\\nd\"}");
    }

    @Test
    void aSubscriptionCarriesItsParamsAsOneString() {
        assertThat(ControlMessages.subscription("subscribe", "T.AAPL,Q.MSFT"))
                .isEqualTo("{\"action\":\"subscribe\",\"params\":\"T.AAPL,Q.MSFT\"}");
    }
}
