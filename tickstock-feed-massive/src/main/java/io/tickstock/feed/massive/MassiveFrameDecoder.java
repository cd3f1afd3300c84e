package io.tickstock.feed.massive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import io.tickstock.core.event.Aggregate;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.FairMarketValue;
import io.tickstock.core.event.LimitUpDown;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;

import java.io.IOException;

/**
 * Decodes one Massive frame (a JSON array of events of mixed types) straight into core events with
 * Jackson's streaming parser: no trees, no reflection, symbols and event names from a small cache.
 * Unknown event types and unknown fields are skipped and counted; a frame that is not valid JSON is
 * counted as malformed, and the events decoded before the fault are kept.
 *
 * <p>Not thread-safe: one decoder per connection, used on its I/O thread. The counters are written
 * by that thread only and may be read from any thread.
 */
public final class MassiveFrameDecoder {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // prices dominate the payload
            .build();
    private static final int[] NONE = {};
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** Where decoded frames go. */
    public interface Sink {
        void onEvent(MarketEvent event);

        /** A {@code status} message ({@code connected}, {@code auth_success}, {@code success} …). */
        void onStatus(String status, String message);
    }

    /** What one frame held. */
    public enum Outcome { OK, MALFORMED }

    private final String connectionId;
    private final SymbolCache symbols = new SymbolCache();
    private final int[] intScratch = new int[64];

    // Counters: single writer (the I/O thread), volatile for readers elsewhere.
    private volatile long frames;
    private volatile long bytes;
    private volatile long events;
    private volatile long unknownEvents;
    private volatile long unknownFields;
    private volatile long malformedFrames;
    private volatile long invalidEvents;
    private String lastUnknownEvent;

    // Fields of the object being decoded (reset per object).
    private String ev;
    private String sym;
    private String text1; // T: i (trade id); status: status
    private String text2; // status: message
    private int[] ints;
    private double p;
    private double bp;
    private double ap;
    private double o;
    private double c;
    private double h;
    private double l;
    private double vw;
    private double a;
    private double op;
    private double fmv;
    private long x;
    private long bx;
    private long ax;
    private long bs;
    private long as;
    private long s;
    private long v;
    private long av;
    private long t;
    private long q;
    private long e;
    private long z;
    private boolean otc;

    public MassiveFrameDecoder(String connectionId) {
        this.connectionId = connectionId;
    }

    /** Decodes {@code length} bytes of UTF-8 JSON starting at {@code offset}. */
    public Outcome decode(byte[] data, int offset, int length, Sink sink) {
        frames++;
        bytes += length;
        long receivedAt = System.currentTimeMillis();
        try (JsonParser parser = JSON.createParser(data, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                JsonToken tok;
                while ((tok = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (tok == JsonToken.START_OBJECT) {
                        decodeObject(parser, sink, receivedAt);
                    } else if (tok == null) {
                        throw new IOException("truncated array");
                    } else {
                        invalidEvents++;
                        parser.skipChildren();
                    }
                }
            } else if (first == JsonToken.START_OBJECT) {
                decodeObject(parser, sink, receivedAt); // tolerated: a lone object instead of an array
            } else {
                throw new IOException("a frame must be a JSON array");
            }
            return Outcome.OK;
        } catch (IOException | RuntimeException ex) {
            malformedFrames++;
            return Outcome.MALFORMED;
        }
    }

    private void decodeObject(JsonParser parser, Sink sink, long receivedAt) throws IOException {
        reset();
        JsonToken tok;
        while ((tok = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!field(parser, name, value)) {
                unknownFields++;
                parser.skipChildren();
            }
        }
        if (tok != JsonToken.END_OBJECT) {
            throw new IOException("truncated object");
        }
        emit(sink, receivedAt);
    }

    /** Stores one known field; false when the name or its type is unknown. */
    private boolean field(JsonParser parser, String name, JsonToken value) throws IOException {
        boolean number = value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
        switch (name) {
            case "ev" -> {
                if (value != JsonToken.VALUE_STRING) {
                    return false;
                }
                ev = cached(parser);
            }
            case "sym", "T" -> {
                if (value != JsonToken.VALUE_STRING) {
                    return false;
                }
                sym = cached(parser);
            }
            case "status" -> {
                if (value != JsonToken.VALUE_STRING) {
                    return false;
                }
                text1 = parser.getText();
            }
            case "message" -> {
                if (value != JsonToken.VALUE_STRING) {
                    return false;
                }
                text2 = parser.getText();
            }
            case "i" -> {
                if (value == JsonToken.VALUE_STRING) {
                    text1 = parser.getText();
                } else if (value == JsonToken.START_ARRAY) {
                    ints = readInts(parser);
                } else if (value == JsonToken.VALUE_NUMBER_INT) {
                    text1 = parser.getText(); // trade ids were ints long ago
                } else {
                    return false;
                }
            }
            case "c" -> {
                if (value == JsonToken.START_ARRAY) {
                    ints = readInts(parser);
                } else if (number) {
                    c = parser.getDoubleValue();
                } else {
                    return false;
                }
            }
            case "p" -> p = num(parser, number);
            case "bp" -> bp = num(parser, number);
            case "ap" -> ap = num(parser, number);
            case "o" -> o = num(parser, number);
            case "h" -> h = num(parser, number);
            case "l" -> l = num(parser, number);
            case "vw" -> vw = num(parser, number);
            case "a" -> a = num(parser, number);
            case "op" -> op = num(parser, number);
            case "fmv" -> fmv = num(parser, number);
            case "x" -> x = lng(parser, number);
            case "bx" -> bx = lng(parser, number);
            case "ax" -> ax = lng(parser, number);
            case "bs" -> bs = lng(parser, number);
            case "as" -> as = lng(parser, number);
            case "s" -> s = lng(parser, number);
            case "v" -> v = lng(parser, number);
            case "av" -> av = lng(parser, number);
            case "t" -> t = lng(parser, number);
            case "q" -> q = lng(parser, number);
            case "e" -> e = lng(parser, number);
            case "z" -> z = lng(parser, number);
            case "otc" -> {
                if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                    return false;
                }
                otc = value == JsonToken.VALUE_TRUE;
            }
            case "ds", "trfi", "trft" -> parser.skipChildren(); // known, not carried by the core events
            default -> {
                return false;
            }
        }
        return true;
    }

    private static double num(JsonParser parser, boolean number) throws IOException {
        return number ? parser.getDoubleValue() : Double.NaN;
    }

    private static long lng(JsonParser parser, boolean number) throws IOException {
        if (!number) {
            return 0;
        }
        try {
            return parser.currentToken() == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue()
                    : (long) parser.getDoubleValue();
        } catch (InputCoercionException tooBig) {
            return 0; // out of range for a long: the field is unusable, the rest of the frame is fine
        }
    }

    private String cached(JsonParser parser) throws IOException {
        return symbols.get(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    private int[] readInts(JsonParser parser) throws IOException {
        int n = 0;
        JsonToken tok;
        while ((tok = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (tok == null) {
                throw new IOException("truncated array");
            }
            if (tok == JsonToken.VALUE_NUMBER_INT && n < intScratch.length) {
                intScratch[n++] = parser.getIntValue();
            } else {
                parser.skipChildren();
            }
        }
        if (n == 0) {
            return NONE;
        }
        int[] out = new int[n];
        System.arraycopy(intScratch, 0, out, 0, n);
        return out;
    }

    private void emit(Sink sink, long receivedAt) {
        if (ev == null) {
            invalidEvents++;
            return;
        }
        MarketEvent event;
        switch (ev) {
            case "status" -> {
                sink.onStatus(text1 == null ? "" : text1, text2 == null ? "" : text2);
                return;
            }
            case "T" -> event = sym == null ? null : new Trade(connectionId, sym, (int) x, text1, p, s,
                    ints == null ? NONE : ints, t, q, (int) z, receivedAt);
            case "Q" -> event = sym == null ? null : new Quote(connectionId, sym, (int) bx, bp, bs, (int) ax, ap, as,
                    t, q, (int) z, receivedAt);
            case "A" -> event = sym == null ? null : aggregate(EventType.A, receivedAt);
            case "AM" -> event = sym == null ? null : aggregate(EventType.AM, receivedAt);
            case "LULD" -> event = sym == null ? null : new LimitUpDown(connectionId, sym, h, l,
                    ints == null ? NONE : ints, (int) z, t, q, receivedAt);
            case "FMV" -> event = sym == null ? null : new FairMarketValue(connectionId, sym, fmv,
                    t / NANOS_PER_MILLI, receivedAt); // FMV alone is stamped in nanoseconds on the wire
            default -> {
                unknownEvents++;
                lastUnknownEvent = ev;
                return;
            }
        }
        if (event == null) {
            invalidEvents++;
            return;
        }
        events++;
        sink.onEvent(event);
    }

    private Aggregate aggregate(EventType type, long receivedAt) {
        return new Aggregate(connectionId, type, sym, v, av, op, vw, o, c, h, l, a, z, s, e, otc, receivedAt);
    }

    private void reset() {
        ev = null;
        sym = null;
        text1 = null;
        text2 = null;
        ints = null;
        p = bp = ap = o = c = h = l = vw = a = op = fmv = 0;
        x = bx = ax = bs = as = s = v = av = t = e = z = 0;
        q = MarketEvent.NO_SEQUENCE;
        otc = false;
    }

    public long frames() {
        return frames;
    }

    public long bytes() {
        return bytes;
    }

    /** Market events decoded (status messages not included). */
    public long events() {
        return events;
    }

    public long unknownEvents() {
        return unknownEvents;
    }

    public long unknownFields() {
        return unknownFields;
    }

    public long malformedFrames() {
        return malformedFrames;
    }

    /** Objects without an event type or symbol, or array items that are not objects. */
    public long invalidEvents() {
        return invalidEvents;
    }

    /** The type of the most recent unknown event, for the error message; null if none. */
    public String lastUnknownEvent() {
        return lastUnknownEvent;
    }
}
