package io.tickstock.core.connection;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The enabled slots, in slot order; fixed once built. */
final class Connections {
    private final Map<String, ManagedConnection> byId;
    private final List<ManagedConnection> named;
    private final ManagedConnection wholeMarketSlot;

    Connections(List<ManagedConnection> slots) {
        Map<String, ManagedConnection> m = new LinkedHashMap<>();
        slots.forEach(c -> m.put(c.id, c));
        this.byId = Collections.unmodifiableMap(m);
        this.named = slots.stream().filter(c -> !c.config.wholeMarket()).toList();
        this.wholeMarketSlot = slots.stream().filter(c -> c.config.wholeMarket()).findFirst().orElse(null);
    }

    Collection<ManagedConnection> all() {
        return byId.values();
    }

    /** Enabled slots that take named tickers: every one but a whole-market slot. */
    List<ManagedConnection> named() {
        return named;
    }

    /** The slot configured with {@code *}, or null. */
    ManagedConnection wholeMarketSlot() {
        return wholeMarketSlot;
    }

    /** The connection, or null when the id is unknown or disabled. */
    ManagedConnection get(String id) {
        return byId.get(id);
    }

    /** The connection; throws for an unknown or disabled id. */
    ManagedConnection require(String id) {
        ManagedConnection c = byId.get(id);
        if (c == null) {
            throw new IllegalArgumentException("unknown or disabled connection: " + id);
        }
        return c;
    }

    int size() {
        return byId.size();
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }
}
