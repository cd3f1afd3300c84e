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
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Decodes one Massive frame (a JSON array of events of mixed types) straight into core events with
 * Jackson's streaming parser: no trees, no reflection, symbols and event names from a small cache.
 * Unknown event types and unknown fields are skipped and counted; events with invalid values (a
 * price or size that is not a finite number of at least zero, a missing required field, an
 * over-long or unprintable symbol) are counted as invalid and never forwarded, and the rest of the
 * frame is still decoded; a frame that is not valid JSON is counted as malformed, and the events
 * decoded before the fault are kept.
 *
 * <p>Frames of the regular shape (trades, quotes and aggregates as the feed sends them) take a
 * byte-level fast path that builds the same events without the tokenizer; anything unusual is
 * decoded by Jackson from the start, so both give the same events and counts. The system property
 * {@value #JACKSON_ONLY_PROPERTY}{@code =true} turns the fast path off (a diagnostic, for comparing).
 *
 * <p>Not thread-safe: one decoder per connection, used on its I/O thread. The counters are written
 * by that thread only and may be read from any thread.
 */
public final class MassiveFrameDecoder {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // prices dominate the payload
            .build();
    /** Diagnostic switch: {@code true} decodes every frame with Jackson, skipping the byte-level fast path. */
    public static final String JACKSON_ONLY_PROPERTY = "tickstock.decode.jacksonOnly";
    private static final List<Integer> NONE = List.of();
    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** Real trade ids are a few dozen digits at most; longer text is hostile, not an id. */
    static final int MAX_TRADE_ID_LENGTH = 64;

    /** Where decoded frames go. */
    public interface Sink {
        void onEvent(MarketEvent event);

        /** A {@code status} message ({@code connected}, {@code auth_success}, {@code success} …). */
        void onStatus(String status, String message);
    }

    /** What one frame held. */
    public enum Outcome { OK, MALFORMED }

    private final String connectionId;
    private final LongSupplier clock;
    private final SymbolCache symbols = new SymbolCache();
    private final ConditionCache conditions = new ConditionCache();
    /** Null when the fast path is off. */
    private final FastFrameDecoder fast;
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
    /** Frames the fast path decoded (read by tests on the decoding thread). */
    private long fastFrames;
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
    /** Bits of the required fields seen with a valid value ({@link RequiredFields}). */
    private int present;
    /** Why the object being decoded is invalid, or null. */
    private String invalidReason;

    /** A decoder for one connection; the fast path is on unless {@value #JACKSON_ONLY_PROPERTY} is true. */
    public MassiveFrameDecoder(String connectionId) {
        this(connectionId, !Boolean.getBoolean(JACKSON_ONLY_PROPERTY), System::currentTimeMillis);
    }

    /** {@code fastPath} false decodes every frame with Jackson; {@code clock} gives the receive time (epoch ms). */
    MassiveFrameDecoder(String connectionId, boolean fastPath, LongSupplier clock) {
        this.connectionId = connectionId;
        this.clock = clock;
        this.fast = fastPath ? new FastFrameDecoder(connectionId, symbols, conditions) : null;
    }

    /** Decodes {@code length} bytes of UTF-8 JSON starting at {@code offset}. */
    public Outcome decode(byte[] data, int offset, int length, Sink sink) {
        frames++;
        bytes += length;
        long receivedAt = clock.getAsLong();
        if (fast != null && fast.decode(data, offset, length, receivedAt)) {
            fastFrames++;
            unknownFields += fast.unknownFields();
            for (int i = 0, n = fast.count(); i < n; i++) {
                MarketEvent event = fast.take(i);
                events++;
                sink.onEvent(event);
            }
            return Outcome.OK;
        }
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
                    c = price(parser, value, RequiredFields.C, "c"); // A/AM: the close; Q: the condition code
                }
            }
            case "p" -> p = price(parser, value, RequiredFields.P, "p");
            case "bp" -> bp = price(parser, value, RequiredFields.BP, "bp");
            case "ap" -> ap = price(parser, value, RequiredFields.AP, "ap");
            case "o" -> o = price(parser, value, RequiredFields.O, "o");
            case "h" -> h = price(parser, value, RequiredFields.H, "h");
            case "l" -> l = price(parser, value, RequiredFields.L, "l");
            case "vw" -> vw = price(parser, value, 0, "vw");
            case "a" -> a = price(parser, value, 0, "a");
            case "op" -> op = price(parser, value, 0, "op");
            case "fmv" -> fmv = price(parser, value, RequiredFields.FMV, "fmv");
            case "x" -> x = count(parser, value, 0, "x");
            case "bx" -> bx = count(parser, value, 0, "bx");
            case "ax" -> ax = count(parser, value, 0, "ax");
            case "bs" -> bs = count(parser, value, 0, "bs");
            case "as" -> as = count(parser, value, 0, "as");
            case "s" -> s = count(parser, value, RequiredFields.S, "s");
            case "v" -> v = count(parser, value, RequiredFields.V, "v");
            case "av" -> av = count(parser, value, 0, "av");
            case "t" -> t = count(parser, value, RequiredFields.T, "t");
            case "q" -> {
                long n = count(parser, value, 0, "q");
                if (value != JsonToken.VALUE_NULL) {
                    q = n;
                }
            }
            case "e" -> e = count(parser, value, RequiredFields.E, "e");
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
        return conditions.get(intScratch, n);
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
            case "T" -> required = RequiredFields.TRADE;
            case "Q" -> required = RequiredFields.QUOTE;
            case "A", "AM" -> required = RequiredFields.AGGREGATE;
            case "LULD" -> required = RequiredFields.LULD;
            case "FMV" -> required = RequiredFields.FAIR_MARKET_VALUE;
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

    /** Frames the byte-level fast path decoded; read on the decoding thread only. */
    long fastFrames() {
        return fastFrames;
    }

    /**
     * Decodes these tickers to these very String instances from now on (as far as the fixed-size
     * symbol cache holds them), so that maps keyed by them match decoded symbols by identity.
     * Call on the decoding thread.
     */
    public void seedSymbols(Collection<String> tickers) {
        for (String ticker : tickers) {
            symbols.seed(ticker);
        }
    }

    /** Symbols replaced in the decoder's fixed-size cache because their slots were taken (each costs a String). */
    public long symbolCacheEvictions() {
        return symbols.evictions();
    }

    /** Condition-code sets that did not fit the decoder's fixed-size cache (each costs a fresh list). */
    public long conditionSetsNotCached() {
        return conditions.notCached();
    }

    /** The type of the most recent unknown event, for the error message; null if none. */
    public String lastUnknownEvent() {
        return lastUnknownEvent;
    }
}
