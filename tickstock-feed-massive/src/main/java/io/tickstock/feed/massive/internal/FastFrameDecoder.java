package io.tickstock.feed.massive.internal;

import com.fasterxml.jackson.core.io.NumberInput;
import io.tickstock.core.event.Aggregate;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;
import io.tickstock.core.universe.Tickers;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The byte-level fast path of {@link MassiveFrameDecoder}: decodes the regular shape of a frame of
 * {@code T}, {@code Q}, {@code A} and {@code AM} events (an array of objects with plain ASCII keys
 * and strings, no escapes, plain non-negative numbers, known fields in any order) straight from the
 * frame's bytes into the same events the Jackson path builds. It declines the whole frame at the
 * first doubt (an escape, a negative or over-long number, a nested unknown value, a status message,
 * another event type, a value the Jackson path would count as invalid, a syntax error) so that the
 * Jackson path decodes it from the start and every count and rule stays the Jackson path's. Events
 * are staged until the frame is known to be regular, so a declined frame has forwarded nothing.
 *
 * <p>Numbers give the same double as the Jackson path: a decimal whose digits make an integer of at
 * most 2^53 with at most 22 of them after the point is one correctly rounded division of two exactly
 * representable doubles; anything longer or with an exponent goes through the conversion the
 * Jackson path itself uses ({@link NumberInput#parseDouble} with the fast parser).
 *
 * <p>Not thread-safe: one per decoder.
 */
final class FastFrameDecoder {
    /** Events staged per frame at most (a 1 MiB frame of real events holds fewer); a bigger frame goes the Jackson path. */
    static final int MAX_EVENTS = 16_384;
    /** Condition codes kept per event, as the Jackson path does. */
    private static final int MAX_CODES = 64;
    private static final int MAX_NUMBER_CHARS = 64;
    /**
     * Longest unknown key or skipped string taken here; longer text goes to the Jackson path, whose
     * stream limits (names of 50,000 characters, for one) then decide exactly as they would alone.
     */
    private static final int MAX_UNKNOWN_TEXT = 1_024;
    private static final int MAX_INT_DIGITS = 18; // fits a long, exact as a double cast
    private static final int MAX_CODE_DIGITS = 9; // fits an int
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    private static final double[] POW10 = {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final List<Integer> NONE = List.of();
    /** Keys of a status message, which the Jackson path reads. */
    private static final byte[] STATUS = "status".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);

    // Keys of up to four ASCII bytes, packed into an int with the first byte lowest (as EightBytes reads them).
    private static final int K_P = 'p';
    private static final int K_S = 's';
    private static final int K_T = 't';
    private static final int K_Q = 'q';
    private static final int K_X = 'x';
    private static final int K_E = 'e';
    private static final int K_Z = 'z';
    private static final int K_O = 'o';
    private static final int K_C = 'c';
    private static final int K_H = 'h';
    private static final int K_L = 'l';
    private static final int K_A = 'a';
    private static final int K_V = 'v';
    private static final int K_I = 'i';
    private static final int K_UPPER_T = 'T';
    private static final int K_EV = 'e' | 'v' << 8;
    private static final int K_BP = 'b' | 'p' << 8;
    private static final int K_AP = 'a' | 'p' << 8;
    private static final int K_BX = 'b' | 'x' << 8;
    private static final int K_AX = 'a' | 'x' << 8;
    private static final int K_BS = 'b' | 's' << 8;
    private static final int K_AS = 'a' | 's' << 8;
    private static final int K_VW = 'v' | 'w' << 8;
    private static final int K_OP = 'o' | 'p' << 8;
    private static final int K_AV = 'a' | 'v' << 8;
    private static final int K_DS = 'd' | 's' << 8;
    private static final int K_SYM = 's' | 'y' << 8 | 'm' << 16;
    private static final int K_FMV = 'f' | 'm' << 8 | 'v' << 16;
    private static final int K_OTC = 'o' | 't' << 8 | 'c' << 16;
    private static final int K_TRFI = 't' | 'r' << 8 | 'f' << 16 | 'i' << 24;
    private static final int K_TRFT = 't' | 'r' << 8 | 'f' << 16 | 't' << 24;
    /** The first n bytes of a word, n = 0 to 4. */
    private static final long[] KEY_MASK = {0, 0xFFL, 0xFFFFL, 0xFF_FFFFL, 0xFFFF_FFFFL};
    /** 10^n as a long, n = 0 to 8. */
    private static final long[] POW10_LONG = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private final String connectionId;
    private final SymbolCache symbols;
    private final ConditionCache conditions;
    private final int[] codes = new int[MAX_CODES];
    private final char[] numberChars = new char[MAX_NUMBER_CHARS];
    private MarketEvent[] staged = new MarketEvent[256];
    private int count;
    private int unknownFields;

    // The frame being read.
    private byte[] d;
    private int pos;
    private int end;

    // The last value read.
    private boolean numIsInt;
    private long numLong;
    private double numDouble;
    private int strStart;
    private int strLength;
    private boolean strHasSpace;
    private double dv;
    private long lv;

    // Fields of the object being read.
    private EventType type;
    private String sym;
    private String tradeId;
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
    private int present;

    FastFrameDecoder(String connectionId, SymbolCache symbols, ConditionCache conditions) {
        this.connectionId = connectionId;
        this.symbols = symbols;
        this.conditions = conditions;
    }

    /**
     * Decodes the frame into staged events; false when it is not of the regular shape (then nothing
     * is staged that counts, and the caller decodes it the general way).
     */
    boolean decode(byte[] data, int offset, int length, long receivedAt) {
        Arrays.fill(staged, 0, count, null);
        count = 0;
        unknownFields = 0;
        d = data;
        pos = offset;
        end = offset + length;
        try {
            return array(receivedAt);
        } finally {
            d = null;
        }
    }

    /** Events staged by the last successful {@link #decode}. */
    int count() {
        return count;
    }

    /** The {@code i}-th staged event, released from the stage. */
    MarketEvent take(int i) {
        MarketEvent event = staged[i];
        staged[i] = null;
        return event;
    }

    /** Unknown fields skipped in the last successful {@link #decode}. */
    int unknownFields() {
        return unknownFields;
    }

    private boolean array(long receivedAt) {
        if (ws() != '[') {
            return false;
        }
        pos++;
        int b = ws();
        if (b == ']') {
            pos++;
            return ws() == -1;
        }
        while (true) {
            if (b != '{') {
                return false;
            }
            pos++;
            if (!object() || !stage(receivedAt)) {
                return false;
            }
            b = ws();
            if (b == ',') {
                pos++;
                b = ws();
            } else if (b == ']') {
                pos++;
                return ws() == -1; // the Jackson path ignores what follows; we do not guess
            } else {
                return false;
            }
        }
    }

    private boolean object() {
        reset();
        int b = ws();
        if (b == '}') {
            pos++;
            return true;
        }
        while (true) {
            if (b != '"' || !string()) {
                return false;
            }
            int keyStart = strStart;
            int keyLength = strLength;
            if (ws() != ':') {
                return false;
            }
            pos++;
            if (!field(keyStart, keyLength, ws())) {
                return false;
            }
            b = ws();
            if (b == ',') {
                pos++;
                b = ws();
            } else if (b == '}') {
                pos++;
                return true;
            } else {
                return false;
            }
        }
    }

    /** Reads the value of one field, starting with byte {@code b}; false on any doubt. */
    private boolean field(int keyStart, int keyLength, int b) {
        if (keyLength > 4) {
            return keyLength <= MAX_UNKNOWN_TEXT && !is(keyStart, keyLength, STATUS)
                    && !is(keyStart, keyLength, MESSAGE) && unknown(b);
        }
        int key;
        if (keyStart + Long.BYTES <= end) {
            key = (int) (EightBytes.read(d, keyStart) & KEY_MASK[keyLength]);
        } else {
            key = 0;
            for (int i = 0; i < keyLength; i++) {
                key |= d[keyStart + i] << (i << 3);
            }
        }
        switch (key) {
            case K_EV -> {
                if (b != '"' || !string()) {
                    return false;
                }
                type = eventType();
                return type != null;
            }
            case K_SYM, K_UPPER_T -> {
                return b == '"' && string() && symbol();
            }
            case K_I -> {
                return tradeIdOrIndicators(b);
            }
            case K_C -> {
                if (b == '[') {
                    return codes();
                }
                if (!price(b, RequiredFields.C)) {
                    return false;
                }
                c = dv;
            }
            case K_P -> {
                if (!price(b, RequiredFields.P)) {
                    return false;
                }
                p = dv;
            }
            case K_BP -> {
                if (!price(b, RequiredFields.BP)) {
                    return false;
                }
                bp = dv;
            }
            case K_AP -> {
                if (!price(b, RequiredFields.AP)) {
                    return false;
                }
                ap = dv;
            }
            case K_O -> {
                if (!price(b, RequiredFields.O)) {
                    return false;
                }
                o = dv;
            }
            case K_H -> {
                if (!price(b, RequiredFields.H)) {
                    return false;
                }
                h = dv;
            }
            case K_L -> {
                if (!price(b, RequiredFields.L)) {
                    return false;
                }
                l = dv;
            }
            case K_VW -> {
                if (!price(b, 0)) {
                    return false;
                }
                vw = dv;
            }
            case K_A -> {
                if (!price(b, 0)) {
                    return false;
                }
                a = dv;
            }
            case K_OP -> {
                if (!price(b, 0)) {
                    return false;
                }
                op = dv;
            }
            case K_FMV -> {
                return price(b, 0); // not carried by these event types
            }
            case K_X -> {
                if (!count(b, 0)) {
                    return false;
                }
                x = lv;
            }
            case K_BX -> {
                if (!count(b, 0)) {
                    return false;
                }
                bx = lv;
            }
            case K_AX -> {
                if (!count(b, 0)) {
                    return false;
                }
                ax = lv;
            }
            case K_BS -> {
                if (!count(b, 0)) {
                    return false;
                }
                bs = lv;
            }
            case K_AS -> {
                if (!count(b, 0)) {
                    return false;
                }
                as = lv;
            }
            case K_S -> {
                if (!count(b, RequiredFields.S)) {
                    return false;
                }
                s = lv;
            }
            case K_V -> {
                if (!count(b, RequiredFields.V)) {
                    return false;
                }
                v = lv;
            }
            case K_AV -> {
                if (!count(b, 0)) {
                    return false;
                }
                av = lv;
            }
            case K_T -> {
                if (!count(b, RequiredFields.T)) {
                    return false;
                }
                t = lv;
            }
            case K_Q -> {
                if (!count(b, 0)) {
                    return false;
                }
                if (b != 'n') { // null leaves the sequence absent
                    q = lv;
                }
            }
            case K_E -> {
                if (!count(b, RequiredFields.E)) {
                    return false;
                }
                e = lv;
            }
            case K_Z -> {
                if (!count(b, 0)) {
                    return false;
                }
                z = lv;
            }
            case K_OTC -> {
                if (literal("true")) {
                    otc = true;
                } else if (literal("false")) {
                    otc = false;
                } else {
                    return false;
                }
            }
            case K_DS, K_TRFI, K_TRFT -> {
                return scalar(b); // known, not carried by the core events
            }
            default -> {
                return unknown(b);
            }
        }
        return true;
    }

    /** Whether the key is {@code word}. */
    private boolean is(int start, int length, byte[] word) {
        return Arrays.equals(d, start, start + length, word, 0, word.length);
    }

    private boolean unknown(int b) {
        unknownFields++;
        return scalar(b);
    }

    private EventType eventType() {
        if (strLength == 1) {
            return switch (d[strStart]) {
                case 'T' -> EventType.T;
                case 'Q' -> EventType.Q;
                case 'A' -> EventType.A;
                default -> null;
            };
        }
        return strLength == 2 && d[strStart] == 'A' && d[strStart + 1] == 'M' ? EventType.AM : null;
    }

    /** A symbol of printable ASCII without spaces, at most {@link Tickers#MAX_SYMBOL_LENGTH} long. */
    private boolean symbol() {
        if (strLength == 0 || strLength > Tickers.MAX_SYMBOL_LENGTH || strHasSpace) {
            return false;
        }
        sym = symbols.getAscii(d, strStart, strLength);
        return true;
    }


    /** {@code i}: a trade id (a string, or digits as the wire sent them long ago) or a quote's indicators. */
    private boolean tradeIdOrIndicators(int b) {
        if (b == '[') {
            return codes();
        }
        int start = pos;
        if (b == '"') {
            if (!string() || strLength > MassiveFrameDecoder.MAX_TRADE_ID_LENGTH || strHasSpace) {
                return false;
            }
            tradeId = new String(d, strStart, strLength, StandardCharsets.ISO_8859_1);
            return true;
        }
        if (!number() || !numIsInt) {
            return false; // the Jackson path counts a decimal id as an unknown field
        }
        tradeId = new String(d, start, pos - start, StandardCharsets.ISO_8859_1);
        return true;
    }

    /** An array of condition codes (plain ints), interned. */
    private boolean codes() {
        pos++;
        int n = 0;
        int b = ws();
        if (b == ']') {
            pos++;
        } else {
            while (true) {
                int start = pos;
                if (n == MAX_CODES || !number() || !numIsInt || pos - start > MAX_CODE_DIGITS) {
                    return false;
                }
                codes[n++] = (int) numLong;
                b = ws();
                pos++;
                if (b == ']') {
                    break;
                }
                if (b != ',') {
                    return false;
                }
                ws();
            }
        }
        ints = conditions.get(codes, n);
        return true;
    }

    /** A price into {@link #dv}: {@code null} reads as 0 and absent; else a finite number of at least zero. */
    private boolean price(int b, int bit) {
        if (b == 'n') {
            dv = 0;
            return literal("null");
        }
        if (!number()) {
            return false;
        }
        if (numIsInt) {
            dv = numLong;
        } else if (Double.isFinite(numDouble)) {
            dv = numDouble;
        } else {
            return false;
        }
        present |= bit;
        return true;
    }

    /** A whole number of at least zero into {@link #lv}; {@code null} reads as 0 and absent. */
    private boolean count(int b, int bit) {
        if (b == 'n') {
            lv = 0;
            return literal("null");
        }
        if (!number()) {
            return false;
        }
        if (numIsInt) {
            lv = numLong;
        } else if (Double.isFinite(numDouble) && numDouble < 0x1p63) {
            lv = (long) numDouble;
        } else {
            return false;
        }
        present |= bit;
        return true;
    }

    /** A string, number, true, false or null, skipped; false for anything nested or doubtful. */
    private boolean scalar(int b) {
        return switch (b) {
            case '"' -> string() && strLength <= MAX_UNKNOWN_TEXT;
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        };
    }

    /**
     * A plain non-negative JSON number at {@link #pos}: sets {@link #numIsInt} and {@link #numLong}
     * (at most {@value #MAX_INT_DIGITS} digits) or {@link #numDouble}. False for a sign, a leading
     * zero, a missing digit or an integer too long to be exact.
     */
    private boolean number() {
        byte[] data = d;
        int limit = end;
        int start = pos;
        int i = start;
        int b = i < limit ? data[i] : -1;
        long m = 0; // every digit, integer and fraction, while there are at most MAX_INT_DIGITS
        int digits = 0;
        if (b == '0') {
            i++;
            if (i < limit && isDigit(data[i])) {
                return false;
            }
        } else if (!isDigit(b)) {
            return false;
        } else {
            while (true) {
                if (i + Long.BYTES > limit) {
                    for (; i < limit && isDigit(b = data[i]); i++) {
                        if (++digits > MAX_INT_DIGITS) {
                            return false;
                        }
                        m = m * 10 + (b - '0');
                    }
                    break;
                }
                long word = EightBytes.read(data, i);
                int n = EightBytes.leadingDigits(word);
                if (n == 0) {
                    break;
                }
                digits += n;
                if (digits > MAX_INT_DIGITS) {
                    return false; // the Jackson path may read it as a big integer; leave it to that path
                }
                m = m * POW10_LONG[n] + EightBytes.digits(word, n);
                i += n;
                if (n < Long.BYTES) {
                    break;
                }
            }
        }
        b = i < limit ? data[i] : -1;
        boolean isFloat = false;
        boolean exact = true;
        int fraction = 0;
        if (b == '.') {
            isFloat = true;
            i++;
            if (i >= limit || !isDigit(data[i])) {
                return false;
            }
            while (true) {
                if (i + Long.BYTES > limit) {
                    for (; i < limit && isDigit(b = data[i]); i++) {
                        if (digits < MAX_INT_DIGITS) {
                            m = m * 10 + (b - '0');
                            digits++;
                        } else {
                            exact = false;
                        }
                        fraction++;
                    }
                    break;
                }
                long word = EightBytes.read(data, i);
                int n = EightBytes.leadingDigits(word);
                if (n == 0) {
                    break;
                }
                int kept = Math.min(n, MAX_INT_DIGITS - digits); // digits beyond that make it inexact
                if (kept > 0) {
                    m = m * POW10_LONG[kept] + EightBytes.digits(word, kept);
                    digits += kept;
                }
                exact &= kept == n;
                fraction += n;
                i += n;
                if (n < Long.BYTES) {
                    break;
                }
            }
            b = i < limit ? data[i] : -1;
        }
        if (b == 'e' || b == 'E') {
            isFloat = true;
            exact = false;
            i++;
            b = i < limit ? data[i] : -1;
            if (b == '+' || b == '-') {
                i++;
            }
            if (i >= limit || !isDigit(data[i])) {
                return false;
            }
            while (i < limit && isDigit(data[i])) {
                i++;
            }
        }
        pos = i;
        numIsInt = !isFloat;
        if (!isFloat) {
            numLong = m;
            return true;
        }
        if (exact && m <= MAX_EXACT_MANTISSA && fraction < POW10.length) {
            numDouble = m / POW10[fraction]; // both exact: one correctly rounded division
            return true;
        }
        return slowDouble(start, i - start);
    }

    /** The Jackson path's own conversion, for the rare number the exact division cannot serve. */
    private boolean slowDouble(int start, int length) {
        if (length > MAX_NUMBER_CHARS) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            numberChars[i] = (char) d[start + i];
        }
        try {
            numDouble = NumberInput.parseDouble(numberChars, 0, length, true);
            return true;
        } catch (NumberFormatException ex) {
            return false;
        }
    }

    /** A string of printable ASCII without escapes at {@link #pos} (the opening quote); sets its span. */
    private boolean string() {
        byte[] data = d;
        int limit = end;
        int start = ++pos;
        int i = start;
        boolean space = false;
        while (true) {
            if (i + Long.BYTES <= limit) {
                int plain = EightBytes.leadingPlain(EightBytes.read(data, i));
                i += plain;
                if (plain == Long.BYTES) {
                    continue;
                }
            } else if (i >= limit) {
                return false;
            }
            byte b = data[i];
            if (b == '"') {
                strStart = start;
                strLength = i - start;
                strHasSpace = space;
                pos = i + 1;
                return true;
            }
            if (b == ' ') {
                space = true; // fine in a message, not in a symbol or trade id
            } else if (b < 0x20 || b > 0x7e || b == '\\') { // negative bytes: UTF-8 beyond ASCII
                return false;
            }
            i++;
        }
    }

    private boolean literal(String word) {
        int n = word.length();
        if (end - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (d[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /** Skips JSON whitespace; the byte now at {@link #pos}, or -1 at the end. */
    private int ws() {
        if (pos < end && d[pos] > ' ') {
            return d[pos]; // compact JSON: no whitespace at all
        }
        while (pos < end) {
            byte b = d[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b;
            }
            pos++;
        }
        return -1;
    }

    private int at() {
        return pos < end ? d[pos] : -1;
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    /** Builds and stages the object just read; false when it is not a valid T, Q, A or AM event. */
    private boolean stage(long receivedAt) {
        if (type == null || sym == null) {
            return false;
        }
        MarketEvent event;
        switch (type) {
            case T -> {
                if ((present & RequiredFields.TRADE) != RequiredFields.TRADE) {
                    return false;
                }
                event = new Trade(connectionId, sym, (int) x, tradeId, p, s, ints == null ? NONE : ints, t, q,
                        (int) z, receivedAt);
            }
            case Q -> {
                if ((present & RequiredFields.QUOTE) != RequiredFields.QUOTE) {
                    return false;
                }
                event = new Quote(connectionId, sym, (int) bx, bp, bs, (int) ax, ap, as, t, q, (int) z, receivedAt);
            }
            default -> {
                if ((present & RequiredFields.AGGREGATE) != RequiredFields.AGGREGATE) {
                    return false;
                }
                event = new Aggregate(connectionId, type, sym, v, av, op, vw, o, c, h, l, a, z, s, e, otc,
                        receivedAt);
            }
        }
        if (count == staged.length) {
            if (count == MAX_EVENTS) {
                return false;
            }
            staged = Arrays.copyOf(staged, Math.min(MAX_EVENTS, count * 2));
        }
        staged[count++] = event;
        return true;
    }

    private void reset() {
        type = null;
        sym = null;
        tradeId = null;
        ints = null;
        present = 0;
        p = bp = ap = o = c = h = l = vw = a = op = 0;
        x = bx = ax = bs = as = s = v = av = t = e = z = 0;
        q = MarketEvent.NO_SEQUENCE;
        otc = false;
    }
}
