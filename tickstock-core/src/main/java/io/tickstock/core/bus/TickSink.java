package io.tickstock.core.bus;

import io.tickstock.core.event.MarketEvent;

/**
 * Receives every de-duplicated event. Called on feed I/O threads: an implementation that may be
 * slow (network, user code) must put a bounded queue of its own in front.
 */
@FunctionalInterface
public interface TickSink {
    void accept(MarketEvent event);

    /** A sink that passes each event to both. */
    default TickSink andThen(TickSink next) {
        return e -> {
            accept(e);
            next.accept(e);
        };
    }
}
