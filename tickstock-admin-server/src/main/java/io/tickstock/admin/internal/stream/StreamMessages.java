package io.tickstock.admin.internal.stream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.admin.gateway.RelayedTick;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Tick;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@code {"event":…,"data":…}} frames sent on {@code /admin-ws}. */
public final class StreamMessages {
    public static final String TICK_UPDATE = "tick_update";
    public static final String METRICS_UPDATE = "metrics_update";
    public static final String STATUS_UPDATE = "connection_status_update";
    public static final String STREAM_STATE = "stream_state";
    public static final String ERROR = "error";

    /** Doubles by Jackson's fast writer, as {@link TickFrameWriter} writes them. */
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StreamMessages() {
    }

    /**
     * One {@code tick_update} frame: {@code data} is an array of ticks, each with its
     * {@code connection_id}, {@code symbol}, {@code price}, {@code volume}, {@code timestamp}
     * (exchange time, epoch ms), {@code event_type} and {@code received_at} (gateway receive time,
     * epoch ms; 0 when unknown).
     */
    public static String ticks(List<? extends Tick> ticks, int from, int to) {
        return new String(ticksUtf8(ticks.subList(from, to), to - from), StandardCharsets.UTF_8);
    }

    /**
     * The {@link #ticks} frame of the first {@code limit} of {@code ticks}, as UTF-8 bytes: written
     * once and sent as they are to every browser, so no session encodes the text again.
     */
    public static byte[] ticksUtf8(Iterable<? extends Tick> ticks, int limit) {
        ByteArrayBuilder out = new ByteArrayBuilder(64 + limit * 160);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("event", TICK_UPDATE);
            g.writeArrayFieldStart("data");
            int n = 0;
            for (Iterator<? extends Tick> it = ticks.iterator(); n < limit && it.hasNext(); n++) {
                Tick t = it.next();
                g.writeStartObject();
                g.writeStringField("connection_id", t.connectionId());
                g.writeStringField("symbol", t.symbol());
                g.writeNumberField("price", t.price());
                g.writeNumberField("volume", t.volume());
                g.writeNumberField("timestamp", t.timestamp());
                g.writeStringField("event_type", t.eventType() == null ? null : t.eventType().code());
                g.writeNumberField("received_at", receivedAt(t));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** When the gateway (or, for a tick relayed from another node, this admin server) received it; 0 when unknown. */
    static long receivedAt(Tick t) {
        if (t instanceof MarketEvent e) {
            return e.receivedAt();
        }
        return t instanceof RelayedTick r ? r.receivedAt() : 0L;
    }

    /** Any event whose data is a JSON-friendly value (maps, lists, strings, numbers). */
    public static String event(String name, Object data) {
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", name);
            m.put("data", data == null ? Map.of() : data);
            return MAPPER.writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
