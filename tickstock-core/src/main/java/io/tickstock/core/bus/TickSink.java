package io.tickstock.core.bus;

import io.tickstock.core.event.Tick;

/**
 * The one listener type for ticks, wherever they come from: feed events ({@code TickSink<MarketEvent>}, from
 * the manager or the local bus) or ticks relayed by Redis ({@code TickSink<Tick>}). A sink of {@code Tick}
 * accepts feed events too, so register it as {@code TickSink<? super MarketEvent>}. Feed sinks are called on
 * feed I/O threads: an implementation that may be slow (network, user code) must put a bounded queue of its
 * own in front.
 *
 * @param <T> the kind of tick received
 */
@FunctionalInterface
public interface TickSink<T extends Tick> {
    /** Takes one tick; called on the producer's thread, so it must not block. */
    void accept(T tick);

    /** A sink that passes each tick to this one, then to {@code next}. */
    default TickSink<T> andThen(TickSink<? super T> next) {
        return t -> {
            accept(t);
            next.accept(t);
        };
    }
}
