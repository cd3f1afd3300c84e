package io.tickstock.core.connection;

import io.tickstock.core.bus.SymbolStateSink;
import io.tickstock.core.bus.TickSink;
import io.tickstock.core.internal.dedup.EventDeduplicator;
import io.tickstock.core.event.MarketEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hot path: drops events of tickers the connection does not carry, de-duplicates shared
 * tickers and hands the rest to the sinks. Runs on the clients' I/O threads; allocation-free (once an
 * entry holds its sinks' states) and lock-free apart from the de-duplicator's small per-symbol lock
 * for tickers carried twice, which is also held while such a ticker's accepted event goes to the
 * sinks, so that they get its events in order whichever I/O thread delivers them.
 *
 * <p>One map lookup per event: the connection's entry for the ticker ({@link CarriedTicker}, or the
 * whole-market slot's {@link SeenSymbols} entry) yields the carried check, the de-duplication windows
 * and the auto-rebalance counter. Only the rare paths look further: a whole-market connection's
 * ticker without an entry (over the seen limit, or a helper standing in for a whole-market slot),
 * and every ticker while the whole market is shared during such a failover. The same entry keeps what
 * each {@link SymbolStateSink} gave for the ticker, so those sinks need no look-up of their own: kept
 * by the sink's place in the list, which is why sinks are only ever appended, never removed.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MultiConnectionManager.class); // the manager's parts log as the manager, as operators know it

    private final EventDeduplicator dedup;
    /** Delivered events per assigned ticker (keys kept by {@link Placement}); null unless auto-rebalance is on. */
    private final Map<String, LongAdder> eventsByTicker;
    private final Object sinksLock = new Object();
    private volatile Sinks sinks;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder unsubscribedDropped = new LongAdder();
    private final LongAdder sinkErrors = new LongAdder();

    Dispatcher(EventDeduplicator dedup, Map<String, LongAdder> eventsByTicker, List<TickSink<? super MarketEvent>> sinks) {
        this.dedup = dedup;
        this.eventsByTicker = eventsByTicker;
        this.sinks = Sinks.of(sinks);
    }

    /** The sinks in order, and beside each its {@link SymbolStateSink} view or null; replaced as a whole. */
    private record Sinks(TickSink<? super MarketEvent>[] all, SymbolStateSink<MarketEvent, Object>[] stateful) {
        @SuppressWarnings("unchecked") // arrays of generic types; a sink registered for MarketEvent accepts it
        static Sinks of(List<TickSink<? super MarketEvent>> list) {
            TickSink<? super MarketEvent>[] all = list.toArray(new TickSink[0]);
            SymbolStateSink<MarketEvent, Object>[] stateful = new SymbolStateSink[all.length];
            for (int i = 0; i < all.length; i++) {
                if (all[i] instanceof SymbolStateSink<?, ?> s) {
                    stateful[i] = (SymbolStateSink<MarketEvent, Object>) s;
                }
            }
            return new Sinks(all, stateful);
        }
    }

    void dispatch(ManagedConnection from, MarketEvent event) {
        String symbol = event.symbol();
        if (symbol == null) {
            unsubscribedDropped.increment();
            return;
        }
        CarriedTicker entry;
        if (from.seen != null) { // a slot configured with *: every ticker, each recorded as seen
            entry = from.seen.record(symbol, dedup);
        } else {
            entry = from.carried.get(symbol);
            if (entry == null && !from.wholeMarket) {
                unsubscribedDropped.increment(); // a server that ignores unsubscribe, or a straggler of a move
                return;
            }
        }
        EventDeduplicator.SymbolWindows shared = sharedWindows(entry, event);
        if (shared == null) {
            deliver(entry, event, symbol);
            return;
        }
        // A ticker two connections carry, maybe on two I/O threads: an accepted event reaches the sinks
        // before the other thread can accept the next, so the sinks get the ticker's events in the order
        // de-duplication accepted them (a sink keeping the latest value does not end on the one accepted
        // first). Only such tickers hold the lock, and only against each other; a sink must not block.
        synchronized (shared) {
            if (dedup.accept(shared, event)) {
                deliver(entry, event, symbol);
            }
        }
    }

    /** Counts an accepted event and hands it to every sink. */
    private void deliver(CarriedTicker entry, MarketEvent event, String symbol) {
        delivered.increment();
        if (eventsByTicker != null) {
            LongAdder n = entry != null && entry.events != null ? entry.events : eventsByTicker.get(symbol);
            if (n != null) {
                n.increment();
            }
        }
        Sinks s = sinks;
        toSinks(s, 0, entry, event);
        Sinks now = sinks;
        if (now != s) {
            // A sink added during this event gets it too. Its owner may have taken a last-value snapshot
            // right after adding it, before the store took this event: without this, neither would hold it.
            // A sink added after this read is safe: its snapshot comes after the store took the event.
            toSinks(now, s.all().length, entry, event);
        }
    }

    /** To the sinks of {@code s} from index {@code first} on, in order; a sink's failure is counted, the rest go on. */
    private void toSinks(Sinks s, int first, CarriedTicker entry, MarketEvent event) {
        TickSink<? super MarketEvent>[] to = s.all();
        SymbolStateSink<MarketEvent, Object>[] stateful = s.stateful();
        for (int i = first; i < to.length; i++) {
            try {
                if (stateful[i] != null && entry != null) {
                    deliver(stateful[i], i, to.length, entry, event);
                } else {
                    to[i].accept(event);
                }
            } catch (RuntimeException e) {
                sinkErrors.increment();
                if (sinkErrors.sum() <= 10) {
                    LOG.warn("tick sink failed (further failures counted as sink_errors): {}", e.toString());
                }
            }
        }
    }

    /** To sink {@code i} with the state the entry keeps for it, asking the sink when the entry has none. */
    private static void deliver(SymbolStateSink<MarketEvent, Object> sink, int i, int sinkCount, CarriedTicker entry,
                                MarketEvent event) {
        Object state = entry.sinkState(i);
        if (state == null) {
            state = sink.stateOf(event);
            if (state == null) {
                sink.accept(event); // the sink keeps nothing for this ticker (e.g. it is full)
                return;
            }
            entry.sinkState(i, state, sinkCount);
        }
        if (!sink.accept(event, state)) {
            entry.sinkState(i, null, sinkCount); // the sink let it go: ask again with the next event
        }
    }

    /**
     * The de-duplication windows the event is checked against, or null when it passes unchecked;
     * looks the symbol up only on the rare paths.
     */
    private EventDeduplicator.SymbolWindows sharedWindows(CarriedTicker entry, MarketEvent event) {
        if (entry != null) {
            EventDeduplicator.SymbolWindows windows = entry.windows();
            if (windows != null || !dedup.sharingAll()) {
                return windows; // null: carried by this connection only
            }
        }
        return dedup.windowsFor(event);
    }

    void addSink(TickSink<? super MarketEvent> sink) {
        synchronized (sinksLock) { // copy-on-write: dispatch reads the arrays without a lock
            List<TickSink<? super MarketEvent>> more = new ArrayList<>(Arrays.asList(sinks.all()));
            more.add(sink);
            sinks = Sinks.of(more);
        }
    }

    long delivered() {
        return delivered.sum();
    }

    long unsubscribedDropped() {
        return unsubscribedDropped.sum();
    }

    long sinkErrors() {
        return sinkErrors.sum();
    }
}
