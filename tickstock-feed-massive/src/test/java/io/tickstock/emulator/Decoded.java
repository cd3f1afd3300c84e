package io.tickstock.emulator;

import io.tickstock.core.event.MarketEvent;
import io.tickstock.feed.massive.internal.MassiveFrameDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the client's decoder makes of emulator output, for tests. */
final class Decoded {
    private Decoded() {
    }

    /** The events of one frame, a JSON array, which must decode without a fault. */
    static List<MarketEvent> frame(String json) {
        List<MarketEvent> decoded = new ArrayList<>();
        MassiveFrameDecoder decoder = new MassiveFrameDecoder("c");
        byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
        assertThat(decoder.decode(bytes, 0, bytes.length, new MassiveFrameDecoder.Sink() {
            @Override
            public void onEvent(MarketEvent event) {
                decoded.add(event);
            }

            @Override
            public void onStatus(String status, String message) {
            }
        })).isEqualTo(MassiveFrameDecoder.Outcome.OK);
        assertThat(decoder.unknownFields()).as("unknown fields").isZero();
        assertThat(decoder.invalidEvents()).as("invalid events").isZero();
        return decoded;
    }

    /** The one event of a single encoded event (no brackets). */
    static MarketEvent one(String eventJson) {
        List<MarketEvent> events = frame("[" + eventJson + "]");
        assertThat(events).hasSize(1);
        return events.get(0);
    }
}
