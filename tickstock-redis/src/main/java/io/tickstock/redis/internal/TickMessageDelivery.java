package io.tickstock.redis.internal;

import io.tickstock.redis.RedisConnector;
import io.tickstock.redis.TickJson;
import io.tickstock.core.bus.TickSink;
import io.tickstock.core.internal.health.EpochSeconds;
import io.tickstock.core.event.Tick;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * What every tick subscriber does with a message (standalone or cluster, plain or sharded pub/sub):
 * check the channel, decode it with {@link TickJson}, count it and hand it to the listener. Malformed
 * messages and listener failures are counted and skipped, never fatal.
 */
public final class TickMessageDelivery {
    private final byte[] channel;
    private final TickSink<Tick> listener;
    private final Function<Throwable, String> safeMessage;
    private final LongAdder received = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder listenerErrors = new LongAdder();
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    /** @param safeMessage how an error is described without secrets (e.g. {@link RedisConnector#safeMessage}) */
    public TickMessageDelivery(String channel, TickSink<Tick> listener, Function<Throwable, String> safeMessage) {
        this.channel = channel.getBytes(StandardCharsets.UTF_8);
        this.listener = listener;
        this.safeMessage = safeMessage;
    }

    /** The channel name as Lettuce's byte-array codec wants it. */
    public byte[] channel() {
        return channel.clone();
    }

    /** Called on a Lettuce I/O thread for each message of any subscribed channel. */
    public void deliver(byte[] ch, byte[] message) {
        if (!Arrays.equals(ch, channel)) {
            return;
        }
        Tick tick;
        try {
            tick = TickJson.read(message);
        } catch (IllegalArgumentException e) {
            malformed.increment();
            recordError(e);
            return;
        }
        received.increment();
        try {
            listener.accept(tick);
        } catch (RuntimeException e) {
            listenerErrors.increment();
            recordError(e);
        }
    }

    /** Notes {@code e} as the last error (its message made safe to show). */
    public void recordError(Throwable e) {
        lastError = safeMessage.apply(e);
        lastErrorAt = Instant.now();
    }

    /** Tick messages received so far. */
    public long received() {
        return received.sum();
    }

    /** Messages that were not a valid tick, skipped. */
    public long malformed() {
        return malformed.sum();
    }

    /** Adds {@code received}, {@code malformed}, {@code listener_errors}, {@code last_error}, {@code last_error_time}. */
    public void putHealth(Map<String, Object> m) {
        m.put("received", received());
        m.put("malformed", malformed());
        m.put("listener_errors", listenerErrors.sum());
        m.put("last_error", lastError);
        Instant at = lastErrorAt;
        m.put("last_error_time", EpochSeconds.of(at));
    }
}
