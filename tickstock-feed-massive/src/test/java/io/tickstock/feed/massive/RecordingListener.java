package io.tickstock.feed.massive;

import io.tickstock.core.connection.ConnectionStatus;
import io.tickstock.core.connection.FeedListener;
import io.tickstock.core.event.MarketEvent;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** A thread-safe listener that records what a client reports, for assertions. */
public final class RecordingListener implements FeedListener {
    /** One status report. */
    public record StatusReport(ConnectionStatus status, String message, long atNanos) {
    }

    private final AtomicLong events = new AtomicLong();
    private final Map<String, LongAdder> perTicker = new ConcurrentHashMap<>();
    private final List<StatusReport> statuses = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<MarketEvent> kept = new CopyOnWriteArrayList<>();
    private final int keep;

    public RecordingListener() {
        this(0);
    }

    /** Also keeps the first {@code keep} events. */
    public RecordingListener(int keep) {
        this.keep = keep;
    }

    @Override
    public void onEvent(MarketEvent event) {
        if (kept.size() < keep) {
            kept.add(event);
        }
        perTicker.computeIfAbsent(event.symbol(), k -> new LongAdder()).increment();
        events.incrementAndGet();
    }

    @Override
    public void onStatus(ConnectionStatus status, String message) {
        statuses.add(new StatusReport(status, message, System.nanoTime()));
    }

    @Override
    public void onError(String message) {
        errors.add(message);
    }

    public long events() {
        return events.get();
    }

    public long events(String ticker) {
        LongAdder a = perTicker.get(ticker);
        return a == null ? 0 : a.sum();
    }

    public List<StatusReport> statuses() {
        return List.copyOf(statuses);
    }

    public List<ConnectionStatus> statusSequence() {
        return statuses.stream().map(StatusReport::status).toList();
    }

    public ConnectionStatus lastStatus() {
        return statuses.isEmpty() ? ConnectionStatus.DISCONNECTED : statuses.get(statuses.size() - 1).status();
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    public List<MarketEvent> kept() {
        return List.copyOf(kept);
    }
}
