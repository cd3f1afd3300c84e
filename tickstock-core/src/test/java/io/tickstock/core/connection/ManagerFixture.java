package io.tickstock.core.connection;

import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.config.Settings;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.testing.InMemoryFeed;
import io.tickstock.core.testing.ManualTime;
import io.tickstock.core.universe.MapUniverseSource;
import io.tickstock.core.universe.UniverseResolver;
import io.tickstock.core.universe.UniverseSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds a manager over an {@link InMemoryFeed} from key/value settings, recording what it delivers. */
final class ManagerFixture implements AutoCloseable {
    final InMemoryFeed feed = new InMemoryFeed();
    final List<MarketEvent> delivered = Collections.synchronizedList(new ArrayList<>());
    final List<StatusChange> changes = Collections.synchronizedList(new ArrayList<>());
    final Map<String, List<String>> universes = new HashMap<>();
    /** Every delivery, also when {@link #countOnly()} keeps no events. */
    final java.util.concurrent.atomic.LongAdder deliveredCount = new java.util.concurrent.atomic.LongAdder();
    private boolean keepEvents = true;
    /** Set by {@link #manualTime()}: the manager's clock and timers move only when the test advances it. */
    ManualTime time;
    MultiConnectionManager manager;

    static ManagerFixture of(String... keyValues) {
        ManagerFixture f = new ManagerFixture();
        f.settings.putAll(pairs(keyValues));
        return f;
    }

    final Map<String, String> settings = new HashMap<>();

    ManagerFixture universe(String key, String... tickers) {
        universes.put(key, List.of(tickers));
        return this;
    }

    /** Counts deliveries without keeping the events (floods, heap measurements). */
    ManagerFixture countOnly() {
        keepEvents = false;
        return this;
    }

    /** Runs the manager (and stamps the feed's trades) on a {@link ManualTime}. */
    ManagerFixture manualTime() {
        time = new ManualTime();
        feed.clock(time.clock());
        return this;
    }

    MultiConnectionManager build() {
        UniverseSource source = new MapUniverseSource("test", universes);
        MultiConnectionManager.Builder b = MultiConnectionManager.builder(GatewayConfig.from(Settings.of(settings)));
        if (time != null) {
            b.resources(time.resources());
        }
        manager = b
                .universes(new UniverseResolver(List.of(source)))
                .feedClients(feed)
                .sink(e -> {
                    deliveredCount.increment();
                    if (keepEvents) {
                        delivered.add(e);
                    }
                })
                .statusListener(changes::add)
                .build();
        return manager;
    }

    static Map<String, String> pairs(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Key/value pairs in the order given, for comparing maps whose order matters. */
    static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    long deliveredFor(String symbol) {
        synchronized (delivered) {
            return delivered.stream().filter(e -> e.symbol().equals(symbol)).count();
        }
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
