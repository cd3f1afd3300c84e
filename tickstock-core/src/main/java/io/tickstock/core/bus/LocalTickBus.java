package io.tickstock.core.bus;

import io.tickstock.core.internal.bus.DropOldestQueue;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.core.health.HealthContributor;
import io.tickstock.core.internal.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The in-process tick bus, used when no Redis is configured. Each subscriber has its own bounded
 * queue and thread: a slow subscriber loses its own oldest ticks (counted) and never slows the
 * feed or the other subscribers.
 */
public final class LocalTickBus implements TickSink<MarketEvent>, HealthContributor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalTickBus.class);
    /** Default capacity of each subscriber's queue, in ticks. */
    public static final int DEFAULT_CAPACITY = 65_536;

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    /** The same subscribers as an array, for {@link #accept}: no iterator per tick. */
    private volatile Subscription[] targets = new Subscription[0];

    /** Adds a subscriber with its own queue of {@code capacity} ticks and its own delivery thread. */
    public Subscription subscribe(String name, int capacity, TickSink<? super MarketEvent> consumer) {
        Subscription s = new Subscription(name, capacity, consumer);
        synchronized (subscriptions) { // subscribe and close only: the array is replaced in their order
            subscriptions.add(s);
            targets = subscriptions.toArray(new Subscription[0]);
        }
        s.thread.start();
        return s;
    }

    /** Adds a subscriber with a queue of {@link #DEFAULT_CAPACITY} ticks and its own delivery thread. */
    public Subscription subscribe(String name, TickSink<? super MarketEvent> consumer) {
        return subscribe(name, DEFAULT_CAPACITY, consumer);
    }

    @Override
    public void accept(MarketEvent event) {
        Subscription[] to = targets;
        for (int i = 0; i < to.length; i++) {
            to[i].offer(event);
        }
    }

    @Override
    public String healthName() {
        return "tick_bus";
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> subs = new ArrayList<>();
        for (Subscription s : subscriptions) {
            subs.add(s.stats().toMap());
        }
        m.put("subscribers", subs);
        return m;
    }

    /** The current subscribers. */
    public List<Subscription> subscriptions() {
        return List.copyOf(subscriptions);
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
    }

    /** Figures of one subscriber. */
    public record Stats(String name, int capacity, int depth, long delivered, long dropped, long errors) {
        /** The snake_case JSON shape of these figures. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("capacity", capacity);
            m.put("queue_depth", depth);
            m.put("delivered", delivered);
            m.put("dropped", dropped);
            m.put("errors", errors);
            return m;
        }
    }

    /** One subscriber: a bounded drop-oldest queue and the thread that drains it. */
    public final class Subscription implements AutoCloseable {
        private final String name;
        private final int capacity;
        private final DropOldestQueue<MarketEvent> queue;
        private final TickSink<? super MarketEvent> consumer;
        private final Thread thread;
        private final LongAdder delivered = new LongAdder();
        private final LongAdder errors = new LongAdder();
        /** A subscriber that always throws would otherwise write a line per tick. */
        private final LogThrottle errorLog = LogThrottle.every(Duration.ofSeconds(10));
        private volatile boolean open = true;

        private Subscription(String name, int capacity, TickSink<? super MarketEvent> consumer) {
            this.name = name;
            this.capacity = capacity;
            this.queue = new DropOldestQueue<>(capacity);
            this.consumer = consumer;
            this.thread = new Thread(this::drain, "tick-bus-" + name);
            this.thread.setDaemon(true);
        }

        void offer(MarketEvent e) {
            queue.offer(e);
        }

        private void drain() {
            while (open) {
                MarketEvent e;
                try {
                    e = queue.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (e == null) {
                    continue;
                }
                try {
                    consumer.accept(e);
                    delivered.increment();
                } catch (RuntimeException ex) {
                    errors.increment();
                    long skipped = errorLog.tryAcquire();
                    if (skipped >= 0) {
                        LOG.warn("tick bus subscriber '{}' failed ({} more failures not logged since the last line)",
                                name, skipped, ex);
                    }
                }
            }
        }

        /** This subscriber's figures now. */
        public Stats stats() {
            return new Stats(name, capacity, queue.size(), delivered.sum(), queue.dropped(), errors.sum());
        }

        @Override
        public void close() {
            open = false;
            synchronized (subscriptions) {
                subscriptions.remove(this);
                targets = subscriptions.toArray(new Subscription[0]);
            }
            thread.interrupt();
        }
    }
}
