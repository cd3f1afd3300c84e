package io.tickstock.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.tickstock.core.event.Aggregate;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.LimitUpDown;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Tick;
import io.tickstock.core.event.Trade;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Redis wire form of a tick (the contract in docs/redis.md), written and read with Jackson's streaming API:
 * <pre>{"type":"market_tick","symbol":"AAPL","price":178.23,"volume":50000,"timestamp":1705853696.123,
 * "source":"massive","event_type":"T","connection_id":"connection_1", …extras}</pre>
 * {@code timestamp} is epoch seconds with the millisecond fraction. Extras follow the contract fields:
 * {@code sequence} (trades, quotes, LULD), {@code bid}/{@code ask}/{@code bid_size}/{@code ask_size}
 * (quotes), {@code open}/{@code high}/{@code low}/{@code close}/{@code vwap}/{@code end_timestamp}
 * (aggregates), {@code high_limit}/{@code low_limit} (LULD). Readers ignore fields they do not know.
 */
public final class TickJson {
    /** The {@code type} of every tick message. */
    public static final String TYPE = "market_tick";
    /**
     * The {@code source} of every message a demo gateway publishes (synthetic ticks from the built-in
     * emulator), so that no downstream consumer can take them for market data.
     */
    public static final String DEMO_SOURCE = "demo";

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    // Pre-encoded field names: written as raw bytes, no per-tick quoting or escaping.
    private static final SerializedString TYPE_F = new SerializedString("type");
    private static final SerializedString MARKET_TICK = new SerializedString(TYPE);
    private static final SerializedString SYMBOL = new SerializedString("symbol");
    private static final SerializedString PRICE = new SerializedString("price");
    private static final SerializedString VOLUME = new SerializedString("volume");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString EVENT_TYPE = new SerializedString("event_type");
    private static final SerializedString CONNECTION_ID = new SerializedString("connection_id");
    private static final SerializedString SEQUENCE = new SerializedString("sequence");

    private TickJson() {
    }

    /** The JSON bytes of one tick (allocates a generator; use {@link #encoder()} on hot paths). */
    public static byte[] write(Tick tick) {
        return encoder().encode(tick);
    }

    /** A reusable encoder for one thread: one generator and buffer for all the ticks it writes. */
    public static Encoder encoder() {
        return new Encoder(null);
    }

    /**
     * Like {@link #encoder()}, but every message says {@code "source":sourceLabel} whatever the tick's own
     * {@link Tick#source()} (e.g. {@link #DEMO_SOURCE}); null keeps each tick's own source.
     */
    public static Encoder encoder(String sourceLabel) {
        return new Encoder(sourceLabel);
    }

    /** Reusable, not thread-safe: one per publishing thread. */
    public static final class Encoder {
        private final ByteArrayBuilder buffer = new ByteArrayBuilder(512);
        private final char[] scratch = scratch();
        private final JsonGenerator gen;
        private final String sourceLabel;

        private Encoder(String sourceLabel) {
            this.sourceLabel = sourceLabel;
            try {
                gen = FACTORY.createGenerator(buffer);
                gen.setRootValueSeparator(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The tick's JSON message (the documented shape); the returned array is the caller's. */
        public byte[] encode(Tick tick) {
            try {
                writeTick(gen, tick, sourceLabel == null ? tick.source() : sourceLabel, scratch);
                gen.flush();
                return buffer.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode tick for " + tick.symbol(), e);
            } finally {
                buffer.reset();
            }
        }
    }

    /** A generator writing messages back to back into {@code out} (no separator between them). */
    static JsonGenerator generator(java.io.OutputStream out) {
        try {
            JsonGenerator g = FACTORY.createGenerator(out);
            g.setRootValueSeparator(null);
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Room for the digits of one timestamp, for {@link #writeTick}; one per writing thread. */
    static char[] scratch() {
        return new char[24];
    }

    /** Writes one tick's message with {@code source} as its source ({@code scratch} from {@link #scratch()}). */
    static void writeTick(JsonGenerator g, Tick t, String source, char[] scratch) throws IOException {
        g.writeStartObject();
        g.writeFieldName(TYPE_F);
        g.writeString(MARKET_TICK);
        g.writeFieldName(SYMBOL);
        g.writeString(t.symbol());
        g.writeFieldName(PRICE);
        g.writeNumber(t.price());
        g.writeFieldName(VOLUME);
        g.writeNumber(t.volume());
        g.writeFieldName(TIMESTAMP);
        writeEpochSeconds(g, t.timestamp(), scratch);
        g.writeFieldName(SOURCE);
        g.writeString(source);
        g.writeFieldName(EVENT_TYPE);
        g.writeString(t.eventType().code());
        g.writeFieldName(CONNECTION_ID);
        g.writeString(t.connectionId());
        if (t instanceof MarketEvent e) {
            writeExtras(g, e, scratch);
        }
        g.writeEndObject();
    }

    private static void writeExtras(JsonGenerator g, MarketEvent e, char[] scratch) throws IOException {
        if (e instanceof Trade tr) {
            g.writeFieldName(SEQUENCE);
            g.writeNumber(tr.sequence());
            g.writeNumberField("exchange", tr.exchange());
        } else if (e instanceof Quote q) {
            g.writeNumberField("bid", q.bidPrice());
            g.writeNumberField("ask", q.askPrice());
            g.writeNumberField("bid_size", q.bidSize());
            g.writeNumberField("ask_size", q.askSize());
            g.writeNumberField("sequence", q.sequence());
        } else if (e instanceof Aggregate a) {
            g.writeNumberField("open", a.open());
            g.writeNumberField("high", a.high());
            g.writeNumberField("low", a.low());
            g.writeNumberField("close", a.close());
            g.writeNumberField("vwap", a.vwap());
            g.writeFieldName("end_timestamp");
            writeEpochSeconds(g, a.endTime(), scratch);
        } else if (e instanceof LimitUpDown l) {
            g.writeNumberField("high_limit", l.highLimit());
            g.writeNumberField("low_limit", l.lowLimit());
            g.writeNumberField("sequence", l.sequence());
        }
    }

    /** Epoch milliseconds as exact decimal seconds ({@code 1705853696123 → 1705853696.123}). */
    private static void writeEpochSeconds(JsonGenerator g, long millis, char[] buf) throws IOException {
        if (millis < 0) {
            g.writeNumber(java.math.BigDecimal.valueOf(millis, 3));
            return;
        }
        // Built by hand in the caller's array: exact, and no BigDecimal, string or array per tick.
        int pos = buf.length;
        long frac = millis % 1000;
        for (int i = 0; i < 3; i++) {
            buf[--pos] = (char) ('0' + frac % 10);
            frac /= 10;
        }
        buf[--pos] = '.';
        long secs = millis / 1000;
        do {
            buf[--pos] = (char) ('0' + secs % 10);
            secs /= 10;
        } while (secs > 0);
        g.writeNumber(buf, pos, buf.length - pos);
    }

    /**
     * Parses one tick message.
     *
     * @throws IllegalArgumentException when the bytes are not a tick message; the message says why
     *                                  without echoing the payload
     */
    public static PublishedTick read(byte[] json) {
        String symbol = null;
        String eventType = null;
        String connectionId = null;
        String source = null;
        String type = null;
        double price = Double.NaN;
        long volume = 0;
        long timestamp = Long.MIN_VALUE;
        long sequence = io.tickstock.core.event.MarketEvent.NO_SEQUENCE;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("tick message is not a JSON object");
            }
            JsonToken tok;
            while ((tok = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "type" -> type = text(p, v, field);
                    case "symbol" -> symbol = text(p, v, field);
                    case "event_type" -> eventType = text(p, v, field);
                    case "connection_id" -> connectionId = v == JsonToken.VALUE_NULL ? null : text(p, v, field);
                    case "source" -> source = v == JsonToken.VALUE_NULL ? null : text(p, v, field);
                    case "price" -> price = number(p, v, field).doubleValue();
                    case "volume" -> volume = number(p, v, field).longValue();
                    case "timestamp" -> timestamp = epochMillis(p, v);
                    case "sequence" -> sequence = number(p, v, field).longValue();
                    default -> p.skipChildren();
                }
            }
            if (tok != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("tick message is not a JSON object");
            }
        } catch (IOException | ArithmeticException e) {
            throw new IllegalArgumentException("malformed tick message: " + e.getClass().getSimpleName(), e);
        }
        if (type != null && !TYPE.equals(type)) {
            throw new IllegalArgumentException("not a market_tick message: type=" + type);
        }
        if (symbol == null || eventType == null || Double.isNaN(price) || timestamp == Long.MIN_VALUE) {
            throw new IllegalArgumentException("tick message lacks one of symbol, price, timestamp, event_type");
        }
        EventType et = EventType.fromCode(eventType);
        if (et == null) {
            throw new IllegalArgumentException("unknown event_type: " + eventType);
        }
        return new PublishedTick(symbol, price, volume, timestamp, et, connectionId,
                source == null ? "massive" : source, sequence);
    }

    private static long epochMillis(JsonParser p, JsonToken v) throws IOException {
        number(p, v, "timestamp");
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return Math.multiplyExact(p.getLongValue(), 1000L);
        }
        // Our own "seconds.mmm" form parsed exactly without BigDecimal; anything else the slow way.
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        int dot = -1;
        long secs = 0;
        for (int i = 0; i < len; i++) {
            char ch = c[off + i];
            if (ch == '.' && dot < 0) {
                dot = i;
            } else if (ch >= '0' && ch <= '9' && (dot < 0 || i - dot <= 3) && i < 18) {
                secs = secs * 10 + (ch - '0');
            } else {
                return p.getDecimalValue().movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP)
                        .longValueExact();
            }
        }
        int fracDigits = dot < 0 ? 0 : len - dot - 1;
        for (int i = fracDigits; i < 3; i++) {
            secs *= 10;
        }
        return secs;
    }

    private static String text(JsonParser p, JsonToken v, String field) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return p.getText();
    }

    private static Number number(JsonParser p, JsonToken v, String field) throws IOException {
        if (!v.isNumeric()) {
            throw new IllegalArgumentException("field '" + field + "' must be a number");
        }
        return p.getNumberValue();
    }
}
