package io.tickstock.core.bus;

import io.tickstock.core.event.Tick;

/** Receives normalized ticks, wherever they come from (the local bus, a Redis subscriber …). */
@FunctionalInterface
public interface TickListener {
    void onTick(Tick tick);
}
