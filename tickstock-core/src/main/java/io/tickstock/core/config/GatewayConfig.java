package io.tickstock.core.config;

import io.tickstock.core.routing.RoutingStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The connection layout and manager behaviour, read from {@link Settings} with the keys of the
 * configuration reference ({@code docs/configuration.md}).
 */
public record GatewayConfig(boolean multiConnection,
                            int connectionsMax,
                            List<ConnectionConfig> slots,
                            Optional<String> symbolUniverseKey,
                            RoutingStrategy routingStrategy,
                            boolean failoverEnabled,
                            Duration failoverDelay,
                            List<String> redundantSymbols,
                            boolean autoRebalance,
                            Duration healthCheckInterval,
                            Duration staleConnectionThreshold,
                            Duration connectTimeout,
                            int symbolStateLimit) {

    /**
     * {@code USE_MULTI_CONNECTION}: {@code false}: connection 1 alone carries every ticker; {@code true}:
     * slots 1..max as configured below. Default: {@code false}.
     */
    public static final String USE_MULTI_CONNECTION = "USE_MULTI_CONNECTION";
    /**
     * {@code WEBSOCKET_CONNECTIONS_MAX}: Number of connection slots, 1–16 (your Massive plan's limit); every
     * slot is listed on the dashboard. Default: {@code 3}.
     */
    public static final String CONNECTIONS_MAX = "WEBSOCKET_CONNECTIONS_MAX";
    /**
     * {@code SYMBOL_UNIVERSE_KEY}: Single mode: the tickers when slot 1 names none; then the default list
     * AAPL, GOOGL, MSFT, TSLA, AMZN, NFLX, META, NVDA.
     */
    public static final String SYMBOL_UNIVERSE_KEY = "SYMBOL_UNIVERSE_KEY";
    /**
     * {@code WEBSOCKET_ROUTING_STRATEGY}: Where tickers subscribed at run time go: {@code manual} (the named
     * connection, else the least loaded connected one), {@code round_robin}, {@code hash} (stable per
     * ticker), {@code load_balanced} (lowest measured msgs/s). Default: {@code manual}.
     */
    public static final String ROUTING_STRATEGY = "WEBSOCKET_ROUTING_STRATEGY";
    /**
     * {@code WEBSOCKET_FAILOVER_ENABLED}: Tickers of a connection that stays down are also subscribed on
     * healthy connections until it is back. Default: {@code true}.
     */
    public static final String FAILOVER_ENABLED = "WEBSOCKET_FAILOVER_ENABLED";
    /**
     * {@code WEBSOCKET_FAILOVER_DELAY}: How long a connection must stay down before failover (a quick
     * reconnect moves nothing). Default: {@code 5s}.
     */
    public static final String FAILOVER_DELAY = "WEBSOCKET_FAILOVER_DELAY";
    /**
     * {@code WEBSOCKET_REDUNDANT_SYMBOLS}: Critical tickers carried on two connections at once; events are
     * de-duplicated, so one connection dropping loses nothing.
     */
    public static final String REDUNDANT_SYMBOLS = "WEBSOCKET_REDUNDANT_SYMBOLS";
    /**
     * {@code WEBSOCKET_AUTO_REBALANCE}: At every health check, move tickers so that measured rates even out
     * (within 20 %), make-before-break. Default: {@code false}.
     */
    public static final String AUTO_REBALANCE = "WEBSOCKET_AUTO_REBALANCE";
    /**
     * {@code WEBSOCKET_HEALTH_CHECK_INTERVAL}: How often stale connections are looked for, failover retried,
     * rebalancing done. Default: {@code 30s}.
     */
    public static final String HEALTH_CHECK_INTERVAL = "WEBSOCKET_HEALTH_CHECK_INTERVAL";
    /**
     * {@code WEBSOCKET_STALE_THRESHOLD}: A connected connection with tickers but silent this long is flagged
     * {@code stale} in health. Default: {@code 60s}.
     */
    public static final String STALE_THRESHOLD = "WEBSOCKET_STALE_THRESHOLD";
    /**
     * {@code WEBSOCKET_CONNECT_TIMEOUT}: How long {@code connect()} waits for the connections (they keep
     * trying afterwards); also the wait for subscription acknowledgements during moves. Default: {@code 10s}.
     */
    public static final String CONNECT_TIMEOUT = "WEBSOCKET_CONNECT_TIMEOUT";
    /**
     * {@code WEBSOCKET_SYMBOL_STATE_LIMIT}: Most symbols the gateway keeps state for, 100–10,000,000:
     * assigned tickers, de-duplication windows, tickers seen on a whole-market slot (each counted
     * separately). Beyond it, further run-time subscriptions are refused and feed symbols get no state; both
     * are counted in {@code symbol_state.overflow}. The default is well above the whole US market (about
     * 12,000 tickers). Default: {@code 50000}.
     */
    public static final String SYMBOL_STATE_LIMIT = "WEBSOCKET_SYMBOL_STATE_LIMIT";

    /** Default cap on per-symbol state: well above the whole US market (about 12,000 tickers). */
    public static final int DEFAULT_SYMBOL_STATE_LIMIT = 50_000;

    /** Tickers used in single-connection mode when nothing else names any. */
    public static final List<String> DEFAULT_TICKERS =
            List.of("AAPL", "GOOGL", "MSFT", "TSLA", "AMZN", "NFLX", "META", "NVDA");

    /** Upper bound on slots; Massive plans sell a handful of connections, never dozens. */
    public static final int MAX_SLOTS = 16;

    /** Copies the slot and redundant-ticker lists into immutable ones. */
    public GatewayConfig {
        slots = List.copyOf(slots);
        redundantSymbols = List.copyOf(redundantSymbols);
    }

    /** The key of slot {@code n}: {@code WEBSOCKET_CONNECTION_<n>_<suffix>}. */
    public static String slotKey(int n, String suffix) {
        return "WEBSOCKET_CONNECTION_" + n + "_" + suffix;
    }

    /** Reads and validates everything; fails on the first bad key. */
    public static GatewayConfig from(Settings s) {
        boolean multi = s.getBoolean(USE_MULTI_CONNECTION, false);
        int max = s.getInt(CONNECTIONS_MAX, 3, 1, MAX_SLOTS);
        List<ConnectionConfig> slots = new ArrayList<>();
        for (int n = 1; n <= max; n++) {
            boolean enabled = multi
                    ? s.getBoolean(slotKey(n, "ENABLED"), false)
                    : n == 1;
            String priority = s.get(slotKey(n, "PRIORITY"), "standard");
            if (!priority.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new ConfigException(slotKey(n, "PRIORITY"), priority,
                        "a single word such as high, standard or low");
            }
            Optional<String> universe = s.get(slotKey(n, "UNIVERSE_KEY"));
            List<String> symbols = s.getList(slotKey(n, "SYMBOLS"));
            checkWholeMarket(n, symbols, universe);
            slots.add(new ConnectionConfig(n,
                    s.get(slotKey(n, "NAME"), ConnectionConfig.idOf(n)),
                    enabled,
                    universe,
                    symbols,
                    priority.toLowerCase(java.util.Locale.ROOT)));
        }
        checkOneWholeMarketSlot(slots);
        return new GatewayConfig(multi, max, slots,
                s.get(SYMBOL_UNIVERSE_KEY),
                RoutingStrategy.parse(ROUTING_STRATEGY, s.get(ROUTING_STRATEGY, "manual")),
                s.getBoolean(FAILOVER_ENABLED, true),
                s.getDuration(FAILOVER_DELAY, Duration.ofSeconds(5)),
                s.getList(REDUNDANT_SYMBOLS),
                s.getBoolean(AUTO_REBALANCE, false),
                s.getPositiveDuration(HEALTH_CHECK_INTERVAL, Duration.ofSeconds(30)),
                s.getPositiveDuration(STALE_THRESHOLD, Duration.ofSeconds(60)),
                s.getPositiveDuration(CONNECT_TIMEOUT, Duration.ofSeconds(10)),
                s.getInt(SYMBOL_STATE_LIMIT, DEFAULT_SYMBOL_STATE_LIMIT, 100, 10_000_000));
    }

    /** {@code *} (the whole market) stands alone: not beside tickers, not with a universe. */
    private static void checkWholeMarket(int n, List<String> symbols, Optional<String> universe) {
        boolean star = symbols.stream().anyMatch(t -> t.strip().equals(ConnectionConfig.WHOLE_MARKET));
        if (!star) {
            return;
        }
        String value = String.join(",", symbols);
        if (symbols.stream().filter(t -> !t.isBlank()).count() > 1) {
            throw new ConfigException(slotKey(n, "SYMBOLS"), value,
                    "either * (the whole market) alone or a list of tickers, not both");
        }
        if (universe.isPresent()) {
            throw new ConfigException(slotKey(n, "SYMBOLS"), value,
                    "* (the whole market) cannot be combined with " + slotKey(n, "UNIVERSE_KEY"));
        }
    }

    /** Two whole-market slots would only carry every event twice. */
    private static void checkOneWholeMarketSlot(List<ConnectionConfig> slots) {
        List<ConnectionConfig> star = slots.stream().filter(c -> c.enabled() && c.wholeMarket()).toList();
        if (star.size() > 1) {
            throw new ConfigException(slotKey(star.get(1).index(), "SYMBOLS"), ConnectionConfig.WHOLE_MARKET,
                    "only one enabled slot may carry the whole market; " + star.get(0).id() + " already does");
        }
    }

    /** The enabled slots, in slot order. */
    public List<ConnectionConfig> enabledSlots() {
        return slots.stream().filter(ConnectionConfig::enabled).toList();
    }
}
