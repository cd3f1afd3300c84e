package io.tickstock.redis;

import static io.tickstock.redis.JsonBytes.MAX_DOUBLE_LENGTH;
import static io.tickstock.redis.JsonBytes.MAX_EPOCH_SECONDS_LENGTH;
import static io.tickstock.redis.JsonBytes.MAX_LONG_LENGTH;
import static io.tickstock.redis.JsonBytes.ascii;

import io.tickstock.core.event.EventType;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Tick;
import io.tickstock.core.event.Trade;

/**
 * The message of a trade or a quote written byte by byte, the same bytes as {@link TickJson#writeTick}
 * writes through Jackson at a fraction of the cost (trades and quotes are the bulk of the feed). It
 * declines — and the caller uses Jackson — whatever it cannot write exactly: another tick type, a
 * string that needs escaping or is not ASCII, a price that is not finite, a negative timestamp.
 * One per publishing thread.
 */
final class TradeQuoteWriter {
    private static final byte[] HEAD = ascii("{\"type\":\"" + TickJson.TYPE + "\",\"symbol\":");
    private static final byte[] PRICE = ascii(",\"price\":");
    private static final byte[] VOLUME = ascii(",\"volume\":");
    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[] SOURCE = ascii(",\"source\":");
    private static final byte[] TRADE_TYPE = typeAndConnectionField(EventType.T);
    private static final byte[] QUOTE_TYPE = typeAndConnectionField(EventType.Q);
    private static final byte[] SEQUENCE = ascii(",\"sequence\":");
    private static final byte[] EXCHANGE = ascii(",\"exchange\":");
    private static final byte[] BID = ascii(",\"bid\":");
    private static final byte[] ASK = ascii(",\"ask\":");
    private static final byte[] BID_SIZE = ascii(",\"bid_size\":");
    private static final byte[] ASK_SIZE = ascii(",\"ask_size\":");
    /** Everything but the three strings, for the longer shape (a quote), numbers at their longest. */
    private static final int FIXED_MAX = HEAD.length + PRICE.length + VOLUME.length + TIMESTAMP.length
            + SOURCE.length + QUOTE_TYPE.length + BID.length + ASK.length + BID_SIZE.length + ASK_SIZE.length
            + SEQUENCE.length + 1 + 3 * MAX_DOUBLE_LENGTH + 4 * MAX_LONG_LENGTH + MAX_EPOCH_SECONDS_LENGTH;

    private final QuotedStrings sources = new QuotedStrings(8);
    private final QuotedStrings connections = new QuotedStrings(16);

    private static byte[] typeAndConnectionField(EventType type) {
        return ascii(",\"event_type\":\"" + type.code() + "\",\"connection_id\":");
    }

    private static int quotedMax(String s) {
        return s == null ? 4 : s.length() + 2;
    }

    /** Room {@link #write} needs for this tick, or -1 when it is not a trade or a quote. */
    static int maxLength(Tick t, String source) {
        if (!(t instanceof Trade) && !(t instanceof Quote)) {
            return -1;
        }
        return FIXED_MAX + quotedMax(t.symbol()) + quotedMax(source) + quotedMax(t.connectionId());
    }

    /**
     * Writes the tick's message with {@code source} as its source at {@code b[p]}, which has
     * {@link #maxLength} bytes of room, and returns its end; -1 when it declines (the bytes from
     * {@code p} on are then garbage).
     */
    int write(Tick t, String source, byte[] b, int p) {
        if (t instanceof Trade tr) {
            return writeTrade(tr, source, b, p);
        }
        if (t instanceof Quote q) {
            return writeQuote(q, source, b, p);
        }
        return -1;
    }

    private int writeTrade(Trade t, String source, byte[] b, int p) {
        double price = t.price();
        if (!Double.isFinite(price)) {
            return -1;
        }
        p = writeHead(t, price, t.volume(), source, TRADE_TYPE, b, p);
        if (p < 0) {
            return -1;
        }
        p = JsonBytes.put(b, p, SEQUENCE);
        p = JsonBytes.writeLong(b, p, t.sequence());
        p = JsonBytes.put(b, p, EXCHANGE);
        p = JsonBytes.writeLong(b, p, t.exchange());
        b[p] = '}';
        return p + 1;
    }

    private int writeQuote(Quote q, String source, byte[] b, int p) {
        double price = q.price();
        double bid = q.bidPrice();
        double ask = q.askPrice();
        if (!Double.isFinite(price) || !Double.isFinite(bid) || !Double.isFinite(ask)) {
            return -1;
        }
        p = writeHead(q, price, q.volume(), source, QUOTE_TYPE, b, p);
        if (p < 0) {
            return -1;
        }
        p = JsonBytes.put(b, p, BID);
        p = JsonBytes.writeDouble(b, p, bid);
        p = JsonBytes.put(b, p, ASK);
        p = JsonBytes.writeDouble(b, p, ask);
        p = JsonBytes.put(b, p, BID_SIZE);
        p = JsonBytes.writeLong(b, p, q.bidSize());
        p = JsonBytes.put(b, p, ASK_SIZE);
        p = JsonBytes.writeLong(b, p, q.askSize());
        p = JsonBytes.put(b, p, SEQUENCE);
        p = JsonBytes.writeLong(b, p, q.sequence());
        b[p] = '}';
        return p + 1;
    }

    /** The eight contract fields; -1 when a string needs escaping or the timestamp is negative. */
    private int writeHead(Tick t, double price, long volume, String source, byte[] typeAndConnection,
                          byte[] b, int p) {
        long timestamp = t.timestamp();
        byte[] src = sources.quoted(source);
        byte[] conn = connections.quoted(t.connectionId());
        if (timestamp < 0 || src == null || conn == null) {
            return -1;
        }
        p = JsonBytes.put(b, p, HEAD);
        p = JsonBytes.writeQuoted(b, p, t.symbol());
        if (p < 0) {
            return -1;
        }
        p = JsonBytes.put(b, p, PRICE);
        p = JsonBytes.writeDouble(b, p, price);
        p = JsonBytes.put(b, p, VOLUME);
        p = JsonBytes.writeLong(b, p, volume);
        p = JsonBytes.put(b, p, TIMESTAMP);
        p = JsonBytes.writeEpochSeconds(b, p, timestamp);
        p = JsonBytes.put(b, p, SOURCE);
        p = JsonBytes.put(b, p, src);
        p = JsonBytes.put(b, p, typeAndConnection);
        return JsonBytes.put(b, p, conn);
    }
}
