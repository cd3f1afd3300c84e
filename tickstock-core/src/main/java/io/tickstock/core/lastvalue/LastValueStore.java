package io.tickstock.core.lastvalue;

import io.tickstock.core.bus.SymbolStateSink;
import io.tickstock.core.config.Settings;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.event.Quote;
import io.tickstock.core.event.Trade;
import io.tickstock.core.health.HealthContributor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The latest trade and quote per symbol, for consumers that start mid-session. Add it as a sink of the
 * manager ({@code manager.addSink(store)}); other events are ignored.
 *
 * <p>Hot path ({@link #accept(MarketEvent)}, on feed I/O threads): one map lookup (none when the manager keeps the
 * symbol's slot beside its own entry: {@link SymbolStateSink}) and the symbol slot's own
 * uncontended monitor (contended only when two connections deliver one symbol at once). A slot only
 * moves forward in {@link TickOrder}, so an older event that arrives late on a second connection never
 * replaces a newer one.
 *
 * <p>Bounded by {@code maxSymbols}: when a new symbol arrives and the store is full, the symbols that
 * have been quiet longest (one sixteenth of the cap, at least one) are evicted in one pass, so the cost
 * of eviction is spread over many new symbols. Evictions are counted.
 *
 * <p>Hand-over to the live stream without a gap or a double: register your own sink first, then take
 * the {@link #snapshot}, then drop each live event of a (symbol, type) that is not
 * {@link TickOrder#isAfter after} the snapshot's event of that (symbol, type). Sinks registered before
 * yours (this store among them) see each event before yours does, so whatever the snapshot misses
 * reaches your sink.
 */
public final class LastValueStore implements SymbolStateSink<MarketEvent, Object>, HealthContributor {
    /** Configuration key of the symbol cap. */
    public static final String MAX_SYMBOLS_KEY = "TICKSTOCK_LAST_VALUE_MAX_SYMBOLS";
    /** Default of {@link #MAX_SYMBOLS_KEY}: above the whole US market. */
    public static final int DEFAULT_MAX_SYMBOLS = 20_000;

    /**
     * One symbol's latest values. The order keys of the stored trade and quote are kept here as
     * primitives so that deciding "newer or not" reads only this slot, never the previous event object
     * (long out of cache by the time the symbol's next event comes; reading it was most of this
     * store's cost). Written under the slot's own monitor: uncontended unless two connections deliver
     * the same symbol at the same instant, and nothing else is called while it is held.
     */
    private static final class Slot {
        volatile Trade trade;
        volatile Quote quote;
        long tradeTimestamp;
        long tradeSequence;
        long quoteTimestamp;
        long quoteSequence;
        long touched; // receive time of the latest update, for eviction; read racily (opaque) by it
        /** Set under the monitor, before the slot leaves the map: an offer then stores nothing. */
        volatile boolean evicted;

        long touched() {
            return (long) TOUCHED.getOpaque(this);
        }

        void touch(long now) {
            TOUCHED.setOpaque(this, now);
        }

        /** {@link #UPDATED} if {@code t} replaced the stored trade (it was newer, or the first), else {@link #STALE} or {@link #EVICTED}. */
        synchronized int offer(Trade t) {
            if (evicted) {
                return EVICTED;
            }
            if (trade != null && !TickOrder.isAfter(t.timestamp(), t.sequence(), tradeTimestamp, tradeSequence)) {
                return STALE;
            }
            tradeTimestamp = t.timestamp();
            tradeSequence = t.sequence();
            trade = t;
            touch(t.receivedAt());
            return UPDATED;
        }

        /** As {@link #offer(Trade)} for the stored quote. */
        synchronized int offer(Quote q) {
            if (evicted) {
                return EVICTED;
            }
            if (quote != null && !TickOrder.isAfter(q.timestamp(), q.sequence(), quoteTimestamp, quoteSequence)) {
                return STALE;
            }
            quoteTimestamp = q.timestamp();
            quoteSequence = q.sequence();
            quote = q;
            touch(q.receivedAt());
            return UPDATED;
        }

        /** Leaving the map: takes no more offers, and lets go of its events (a producer may still hold the slot). */
        synchronized void evict() {
            evicted = true;
            trade = null;
            quote = null;
        }
    }

    private static final int UPDATED = 1;
    private static final int STALE = 0;
    private static final int EVICTED = -1;
    /** Fresh slots tried for one event whose slot was evicted meanwhile, before a last try that holds evictions off. */
    private static final int MAX_TRIES = 2;

    private static final VarHandle TOUCHED;

    static {
        try {
            TOUCHED = MethodHandles.lookup().findVarHandle(Slot.class, "touched", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final int maxSymbols;
    private final Object evictionLock = new Object();
    private final LongAdder updates = new LongAdder();
    private final LongAdder stale = new LongAdder();
    private final AtomicLong evicted = new AtomicLong();

    /** A store keeping the latest trade and quote of at most {@code maxSymbols} symbols. */
    public LastValueStore(int maxSymbols) {
        if (maxSymbols < 1) {
            throw new IllegalArgumentException("maxSymbols must be at least 1");
        }
        this.maxSymbols = maxSymbols;
    }

    /** A store sized by {@value #MAX_SYMBOLS_KEY} (default {@value #DEFAULT_MAX_SYMBOLS}). */
    public static LastValueStore fromSettings(Settings s) {
        return new LastValueStore(s.getInt(MAX_SYMBOLS_KEY, DEFAULT_MAX_SYMBOLS, 1, 10_000_000));
    }

    @Override
    public void accept(MarketEvent event) {
        if (event instanceof Trade || event instanceof Quote) {
            store(event, slot(event.symbol(), event.receivedAt()));
        }
    }

    /** The symbol's slot for a trade or a quote; null for other events, which the store ignores. */
    @Override
    public Object stateOf(MarketEvent event) {
        return event instanceof Trade || event instanceof Quote ? slot(event.symbol(), event.receivedAt()) : null;
    }

    /** False when the slot was evicted (the event then went to the symbol's new slot). */
    @Override
    public boolean accept(MarketEvent event, Object state) {
        return !(event instanceof Trade || event instanceof Quote) || store(event, (Slot) state);
    }

    /** Offers a trade or a quote to {@code slot}, or to a fresh one if it was evicted; false in that case. */
    private boolean store(MarketEvent event, Slot slot) {
        int outcome = offer(slot, event);
        boolean kept = outcome != EVICTED;
        for (int tries = 0; outcome == EVICTED && tries < MAX_TRIES; tries++) {
            outcome = offer(slot(event.symbol(), event.receivedAt()), event);
        }
        if (outcome == EVICTED) {
            synchronized (evictionLock) { // no eviction can take this fresh slot before the offer: it lands
                outcome = offer(slot(event.symbol(), event.receivedAt()), event);
            }
        }
        (outcome == UPDATED ? updates : stale).increment();
        return kept;
    }

    private static int offer(Slot slot, MarketEvent event) {
        return event instanceof Trade t ? slot.offer(t) : slot.offer((Quote) event);
    }

    private Slot slot(String symbol, long now) {
        Slot slot = slots.get(symbol);
        if (slot != null) {
            if (!slot.evicted) {
                return slot;
            }
            slots.remove(symbol, slot); // evicted a moment ago, not yet removed: make a fresh one instead
        }
        if (slots.size() >= maxSymbols) {
            evictQuietest();
        }
        return slots.computeIfAbsent(symbol, s -> {
            Slot n = new Slot();
            n.touch(now);
            return n;
        });
    }

    /** Removes the quietest symbols; one thread at a time, the others carry on (briefly over the cap). */
    private void evictQuietest() {
        synchronized (evictionLock) {
            int excess = slots.size() - maxSymbols + 1;
            if (excess <= 0) {
                return;
            }
            int n = Math.max(excess, Math.max(1, maxSymbols / 16));
            long[] times = new long[slots.size()];
            int i = 0;
            for (Slot s : slots.values()) {
                if (i == times.length) {
                    break;
                }
                times[i++] = s.touched();
            }
            if (i == 0) {
                return;
            }
            Arrays.sort(times, 0, i);
            long cutoff = times[Math.min(n, i) - 1];
            int removed = 0;
            for (var it = slots.entrySet().iterator(); it.hasNext() && removed < n; ) {
                var e = it.next();
                Slot slot = e.getValue();
                if (slot.touched() <= cutoff) {
                    slot.evict(); // first: an offer from now on finds it evicted and goes to a fresh slot
                    slots.remove(e.getKey(), slot); // only this slot, not a fresh one made for the key meanwhile
                    removed++;
                }
            }
            evicted.addAndGet(removed);
        }
    }

    /** The symbol's latest trade and quote, if any. */
    public Optional<LastValue> get(String symbol) {
        Slot s = slots.get(symbol);
        return s == null ? Optional.empty() : Optional.ofNullable(valueOf(symbol, s));
    }

    /** The slot's values, or null when it is being evicted (read first: eviction marks before it clears). */
    private static LastValue valueOf(String symbol, Slot s) {
        Trade trade = s.trade;
        Quote quote = s.quote;
        return s.evicted ? null : new LastValue(symbol, trade, quote);
    }

    /** The latest values of these symbols, in the given order; unknown symbols are left out. */
    public List<LastValue> snapshot(Collection<String> symbols) {
        List<LastValue> out = new ArrayList<>(symbols.size());
        for (String sym : symbols) {
            get(sym).ifPresent(out::add);
        }
        return out;
    }

    /** The latest values of every symbol held, in no particular order. */
    public List<LastValue> snapshot() {
        List<LastValue> out = new ArrayList<>(slots.size());
        slots.forEach((sym, s) -> {
            LastValue v = valueOf(sym, s);
            if (v != null) {
                out.add(v);
            }
        });
        return out;
    }

    /** Symbols held now. */
    public int symbols() {
        return slots.size();
    }

    /** The most symbols held; beyond it those quiet longest are evicted (counted). */
    public int maxSymbols() {
        return maxSymbols;
    }

    /** Symbols removed to make room for new ones. */
    public long evicted() {
        return evicted.get();
    }

    /** Events that replaced a value. */
    public long updates() {
        return updates.sum();
    }

    /** Events ignored because the stored value was already newer (late arrivals on a second connection). */
    public long stale() {
        return stale.sum();
    }

    @Override
    public String healthName() {
        return "last_value";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbols", symbols());
        m.put("max_symbols", maxSymbols);
        m.put("updates", updates());
        m.put("stale", stale());
        m.put("evicted", evicted());
        return m;
    }
}
