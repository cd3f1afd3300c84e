package io.tickstock.admin.internal.api;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tickstock.admin.gateway.GatewayStatus;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;
import io.tickstock.core.lastvalue.LastValue;
import io.tickstock.core.lastvalue.LastValueStore;
import io.tickstock.core.universe.Tickers;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/admin/ticks/last?symbols=AAPL,MSFT}: the latest trade and quote of each ticker asked
 * for, with the timestamp and sequence each is valid at (the point a consumer follows the live stream
 * from). Authorisation is done by the caller.
 */
public final class LastValueApi {
    /** Most tickers in one request: a bounded answer whatever the query. */
    public static final int MAX_SYMBOLS_PER_REQUEST = 500;
    private static final int MAX_QUERY_LENGTH = MAX_SYMBOLS_PER_REQUEST * (Tickers.MAX_SYMBOL_LENGTH + 1);

    private final GatewayStatus gateway;
    private final Clock clock;

    public LastValueApi(GatewayStatus gateway, Clock clock) {
        this.gateway = gateway;
        this.clock = clock;
    }

    public void last(Context ctx) throws Exception {
        Optional<LastValueStore> store = gateway.lastValues();
        if (store.isEmpty()) {
            error(ctx, HttpStatus.NOT_FOUND, "this server runs no feed, so it keeps no last values "
                    + "(read the Redis hashes tickstock:last:T and tickstock:last:Q)");
            return;
        }
        String raw = ctx.queryParam("symbols");
        if (raw == null || raw.isBlank()) {
            error(ctx, HttpStatus.BAD_REQUEST, "symbols is required: comma-separated tickers, at most "
                    + MAX_SYMBOLS_PER_REQUEST);
            return;
        }
        if (raw.length() > MAX_QUERY_LENGTH) {
            error(ctx, HttpStatus.BAD_REQUEST, "too many symbols: at most " + MAX_SYMBOLS_PER_REQUEST);
            return;
        }
        Set<String> symbols = new LinkedHashSet<>();
        for (String part : raw.split(",", -1)) {
            if (part.isBlank()) {
                continue;
            }
            String t = Tickers.normalizeOne(part);
            if (t == null) {
                error(ctx, HttpStatus.BAD_REQUEST, "not a valid ticker: " + abbreviate(part.strip()));
                return;
            }
            symbols.add(t);
        }
        if (symbols.isEmpty()) {
            error(ctx, HttpStatus.BAD_REQUEST, "symbols is required: comma-separated tickers");
            return;
        }
        if (symbols.size() > MAX_SYMBOLS_PER_REQUEST) {
            error(ctx, HttpStatus.BAD_REQUEST, "too many symbols: at most " + MAX_SYMBOLS_PER_REQUEST);
            return;
        }
        Map<String, Object> bySymbol = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String s : symbols) {
            Optional<LastValue> v = store.get().get(s);
            if (v.isEmpty()) {
                missing.add(s);
            } else {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("trade", trade(v.get().trade()));
                m.put("quote", quote(v.get().quote()));
                bySymbol.put(s, m);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("as_of", seconds(clock.millis()));
        body.put("demo", gateway.demo());
        body.put("symbols", bySymbol);
        body.put("missing", missing);
        StatusApi.json(ctx, HttpStatus.OK, body);
    }

    private static Map<String, Object> trade(Trade t) {
        if (t == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("price", t.price());
        m.put("size", t.size());
        m.put("exchange", t.exchange());
        m.put("timestamp", seconds(t.timestamp()));
        m.put("sequence", t.sequence());
        m.put("connection_id", t.connectionId());
        return m;
    }

    private static Map<String, Object> quote(Quote q) {
        if (q == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bid", q.bidPrice());
        m.put("bid_size", q.bidSize());
        m.put("ask", q.askPrice());
        m.put("ask_size", q.askSize());
        m.put("timestamp", seconds(q.timestamp()));
        m.put("sequence", q.sequence());
        m.put("connection_id", q.connectionId());
        return m;
    }

    /** Epoch milliseconds as exact decimal seconds ({@code 1796140800.123}, never {@code 1.796E9}). */
    private static java.math.BigDecimal seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3);
    }

    private static String abbreviate(String s) {
        String cut = s.length() > 20 ? s.substring(0, 20) + "…" : s;
        StringBuilder b = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    private static void error(Context ctx, HttpStatus status, String message) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status.getCode());
        StatusApi.json(ctx, status, body);
    }
}
