package io.tickstock.feed.massive.internal;

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
import io.tickstock.core.universe.Tickers;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Decodes one Massive frame (a JSON array of events of mixed types) straight into core events with
 * Jackson's streaming parser: no trees, no reflection, symbols and event names from a small cache.
 * Unknown event types and unknown fields are skipped and counted; events with invalid values (a
 * price or size that is not a finite number of at least zero, a missing required field, an
 * over-long or unprintable symbol) are counted as invalid and never forwarded, and the rest of the
 * frame is still decoded; a frame that is not valid JSON is counted as malformed, and the events
 * decoded before the fault are kept.
 *
 * <p>Not thread-safe: one decoder per connection, used on its I/O thread. The counters are written
 * by that thread only and may be read from any thread.
 */
public final class MassiveFrameDecoder {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // prices dominate the payload
            .build();
    private static final List<Integer> NONE = List.of();
    /** One shared list per single code 0..255: most trades carry none or one condition, so they allocate nothing. */
    private static final List<List<Integer>> SINGLE = IntStream.range(0, 256)
            .mapToObj(List::of).toList();
    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** Real trade ids are a few dozen digits at most; longer text is hostile, not an id. */
    static final int MAX_TRADE_ID_LENGTH = 64;
    // Presence bits of the fields some event type requires.
    private static final int F_P = 1;
    private static final int F_S = 1 << 1;
    private static final int F_T = 1 << 2;
    private static final int F_BP = 1 << 3;
    private static final int F_AP = 1 << 4;
    private static final int F_O = 1 << 5;
    private static final int F_C = 1 << 6;
    private static final int F_H = 1 << 7;
    private static final int F_L = 1 << 8;
    private static final int F_V = 1 << 9;
    private static final int F_E = 1 << 10;
    private static final int F_FMV = 1 << 11;

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
    private volatile String lastInvalidReason;

    // Fields of the object being decoded (reset per object).
    private String ev;
    private String sym;
    private String text1; // T: i (trade id); status: status
    private String text2; // status: message
    private List<Integer> ints;
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
    /** Bits of the required fields seen with a valid value ({@code F_*}). */
    private int present;
    /** Why the object being decoded is invalid, or null. */
    private String invalidReason;

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
                        invalid("an array item that is not an object", null);
                        parser.skipChildren();
                    }
                }
            } else if (first == JsonToken.START_OBJECT) {
                decodeObject(parser, sink, receivedAt); // tolerated: a lone object instead of an array
            } else {
                throw new IOException("a frame must be a JSON array");
            }
            return Outcome.OK;
        } catch (IOException ex) { // JsonProcessingException and our own validation; a bug elsewhere must surface
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
                sym = symbol(parser);
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
                if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT) {
                    text1 = tradeId(parser); // trade ids were ints long ago
                } else if (value == JsonToken.START_ARRAY) {
                    ints = readInts(parser);
                } else {
                    return false;
                }
            }
            case "c" -> {
                if (value == JsonToken.START_ARRAY) {
                    ints = readInts(parser); // T: condition codes
                } else {
                    c = price(parser, value, F_C, "c"); // A/AM: the close; Q: the condition code
                }
            }
            case "p" -> p = price(parser, value, F_P, "p");
            case "bp" -> bp = price(parser, value, F_BP, "bp");
            case "ap" -> ap = price(parser, value, F_AP, "ap");
            case "o" -> o = price(parser, value, F_O, "o");
            case "h" -> h = price(parser, value, F_H, "h");
            case "l" -> l = price(parser, value, F_L, "l");
            case "vw" -> vw = price(parser, value, 0, "vw");
            case "a" -> a = price(parser, value, 0, "a");
            case "op" -> op = price(parser, value, 0, "op");
            case "fmv" -> fmv = price(parser, value, F_FMV, "fmv");
            case "x" -> x = count(parser, value, 0, "x");
            case "bx" -> bx = count(parser, value, 0, "bx");
            case "ax" -> ax = count(parser, value, 0, "ax");
            case "bs" -> bs = count(parser, value, 0, "bs");
            case "as" -> as = count(parser, value, 0, "as");
            case "s" -> s = count(parser, value, F_S, "s");
            case "v" -> v = count(parser, value, F_V, "v");
            case "av" -> av = count(parser, value, 0, "av");
            case "t" -> t = count(parser, value, F_T, "t");
            case "q" -> {
                long n = count(parser, value, 0, "q");
                if (value != JsonToken.VALUE_NULL) {
                    q = n;
                }
            }
            case "e" -> e = count(parser, value, F_E, "e");
            case "z" -> z = count(parser, value, 0, "z");
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

    /**
     * A price: a finite number of at least zero. {@code null} counts as absent; anything else (a
     * string such as {@code "NaN"}, an object, a negative or non-finite number) makes the event
     * invalid. {@code bit} marks the field as present for the required-field check.
     */
    private double price(JsonParser parser, JsonToken value, int bit, String name) throws IOException {
        if (!isNumber(parser, value, name)) {
            return 0;
        }
        double d = parser.getDoubleValue();
        if (!Double.isFinite(d) || d < 0) {
            return invalid(name + " is negative or not finite");
        }
        present |= bit;
        return d;
    }

    /** A size, time, sequence or id: a whole number of at least zero that fits a long; else as {@link #price}. */
    private long count(JsonParser parser, JsonToken value, int bit, String name) throws IOException {
        if (!isNumber(parser, value, name)) {
            return 0;
        }
        long n;
        try {
            if (value == JsonToken.VALUE_NUMBER_INT) {
                n = parser.getLongValue();
            } else {
                double d = parser.getDoubleValue();
                if (!Double.isFinite(d) || d >= 0x1p63) {
                    invalid(name + " is out of range");
                    return 0;
                }
                n = (long) d;
            }
        } catch (InputCoercionException tooBig) {
            invalid(name + " is out of range");
            return 0;
        }
        if (n < 0) {
            invalid(name + " is negative");
            return 0;
        }
        present |= bit;
        return n;
    }

    /**
     * True for a number; false for {@code null} (absent) and for anything else, which is skipped
     * and makes the event invalid.
     */
    private boolean isNumber(JsonParser parser, JsonToken value, String name) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            return true;
        }
        if (value != JsonToken.VALUE_NULL) {
            parser.skipChildren();
            invalid(name + " is not a number");
        }
        return false;
    }

    private double invalid(String reason) {
        if (invalidReason == null) {
            invalidReason = reason;
        }
        return 0;
    }

    /** A trade id: at most {@value #MAX_TRADE_ID_LENGTH} printable ASCII characters, else the event is invalid. */
    private String tradeId(JsonParser parser) throws IOException {
        int length = parser.getTextLength();
        if (length > MAX_TRADE_ID_LENGTH || !printable(parser.getTextCharacters(), parser.getTextOffset(), length)) {
            invalid("trade id longer than " + MAX_TRADE_ID_LENGTH + " or not printable");
            return null;
        }
        return parser.getText();
    }

    /** Whether every character is printable ASCII other than a space. */
    private static boolean printable(char[] chars, int offset, int length) {
        for (int i = 0; i < length; i++) {
            char ch = chars[offset + i];
            if (ch <= ' ' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    private String cached(JsonParser parser) throws IOException {
        return symbols.get(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    /**
     * The symbol, or null (the event is then invalid) when it is longer than
     * {@link Tickers#MAX_SYMBOL_LENGTH} or holds anything but printable ASCII: such text is never
     * copied, cached or forwarded.
     */
    private String symbol(JsonParser parser) throws IOException {
        int length = parser.getTextLength();
        if (length == 0 || length > Tickers.MAX_SYMBOL_LENGTH) {
            invalid(length == 0 ? "empty symbol" : "symbol longer than " + Tickers.MAX_SYMBOL_LENGTH);
            return null;
        }
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        if (!printable(chars, offset, length)) {
            invalid("symbol with a control, space or non-ASCII character");
            return null;
        }
        return symbols.get(chars, offset, length);
    }

    private List<Integer> readInts(JsonParser parser) throws IOException {
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
        if (n == 1 && intScratch[0] >= 0 && intScratch[0] < SINGLE.size()) {
            return SINGLE.get(intScratch[0]);
        }
        Integer[] out = new Integer[n];
        for (int i = 0; i < n; i++) {
            out[i] = intScratch[i];
        }
        return List.of(out);
    }

    private void emit(Sink sink, long receivedAt) {
        if (ev == null) {
            invalid("no event type", null);
            return;
        }
        int required;
        switch (ev) {
            case "status" -> {
                sink.onStatus(text1 == null ? "" : text1, text2 == null ? "" : text2);
                return;
            }
            case "T" -> required = F_P | F_S | F_T;
            case "Q" -> required = F_BP | F_AP | F_T;
            case "A", "AM" -> required = F_O | F_C | F_H | F_L | F_V | F_S | F_E;
            case "LULD" -> required = F_H | F_L | F_T;
            case "FMV" -> required = F_FMV | F_T;
            default -> {
                unknownEvents++;
                lastUnknownEvent = ev;
                return;
            }
        }
        if (invalidReason != null) {
            invalid(invalidReason, ev);
            return;
        }
        if (sym == null) {
            invalid("no symbol", ev);
            return;
        }
        if ((present & required) != required) {
            invalid("a required field is missing", ev);
            return;
        }
        MarketEvent event = switch (ev) {
            case "T" -> new Trade(connectionId, sym, (int) x, text1, p, s, ints == null ? NONE : ints, t, q, (int) z,
                    receivedAt);
            case "Q" -> new Quote(connectionId, sym, (int) bx, bp, bs, (int) ax, ap, as, t, q, (int) z, receivedAt);
            case "A" -> aggregate(EventType.A, receivedAt);
            case "AM" -> aggregate(EventType.AM, receivedAt);
            case "LULD" -> new LimitUpDown(connectionId, sym, h, l, ints == null ? NONE : ints, (int) z, t, q,
                    receivedAt);
            // FMV alone is stamped in nanoseconds on the wire
            default -> new FairMarketValue(connectionId, sym, fmv, t / NANOS_PER_MILLI, receivedAt);
        };
        events++;
        sink.onEvent(event);
    }

    private void invalid(String reason, String type) {
        invalidEvents++;
        lastInvalidReason = type == null ? reason : type + ": " + reason;
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
        present = 0;
        invalidReason = null;
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

    /**
     * Events skipped as invalid: array items that are not objects, objects without an event type,
     * and events of a known type with a missing or invalid symbol, a missing required field, or a
     * price, size, time or sequence that is not a finite number of at least zero.
     */
    public long invalidEvents() {
        return invalidEvents;
    }

    /** Why the most recent invalid event was skipped (fixed text, never feed input); null if none. */
    public String lastInvalidReason() {
        return lastInvalidReason;
    }

    /** The type of the most recent unknown event, for the error message; null if none. */
    public String lastUnknownEvent() {
        return lastUnknownEvent;
    }
}
