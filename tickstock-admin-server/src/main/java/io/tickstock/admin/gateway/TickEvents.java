package io.tickstock.admin.gateway;

import io.tickstock.core.bus.TickSink;
import io.tickstock.core.event.Tick;

/** The live ticks a dashboard shows. */
public interface TickEvents {
    /** Registers a sink for every tick; it may be called on I/O threads and must not block. */
    void addTickSink(TickSink<Tick> sink);
}
