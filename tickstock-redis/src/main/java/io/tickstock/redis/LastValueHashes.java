package io.tickstock.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.tickstock.core.event.EventType;
import io.tickstock.core.event.Tick;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps the last-value hashes ({@link LastValueConfig}) up to date from the publisher thread, coalesced
 * per batch: one {@code HSET} per event type with the batch's latest message per ticker, placed in the
 * pipeline <em>before</em> the batch's {@code PUBLISH}es. Redis runs one connection's commands in order,
 * so a message is in the hash by the time any subscriber receives it: a consumer that subscribes first
 * and then reads the hash has seen every message either in the hash or on the channel.
 *
 * <p>Owned by the publisher thread (no locking). The tickers written are remembered in insertion-order
 * maps capped at {@code maxSymbols}; the one written longest ago is removed with {@code HDEL} when a new
 * one would exceed the cap (counted).
 */
final class LastValueHashes {
    private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

    private final LastValueConfig config;
    private final byte[] tradeKey;
    private final byte[] quoteKey;
    private final LinkedHashMap<String, Boolean> tradeSymbols = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<String, Boolean> quoteSymbols = new LinkedHashMap<>(16, 0.75f, true);
    // the index in the batch of each ticker's latest message
    private final Map<String, Integer> batchTrades = new LinkedHashMap<>();
    private final Map<String, Integer> batchQuotes = new LinkedHashMap<>();
    private final List<byte[]> evictions = new ArrayList<>();
    private final LongAdder written = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile long evicted;

    LastValueHashes(LastValueConfig config) {
        this.config = config;
        this.tradeKey = config.keyBytes(EventType.T);
        this.quoteKey = config.keyBytes(EventType.Q);
    }

    /** Adds this batch's {@code HSET}s (and {@code HDEL}s of evicted tickers) to {@code out}. */
    void addCommands(Tick[] ticks, MessageBatch messages, List<RedisCommand<byte[], byte[], ?>> out) {
        for (int i = 0; i < messages.count(); i++) {
            Tick t = ticks[i];
            if (t.eventType() == EventType.T) {
                batchTrades.put(t.symbol(), i);
            } else if (t.eventType() == EventType.Q) {
                batchQuotes.put(t.symbol(), i);
            }
        }
        addFor(tradeKey, batchTrades, messages, tradeSymbols, out);
        addFor(quoteKey, batchQuotes, messages, quoteSymbols, out);
    }

    private void addFor(byte[] key, Map<String, Integer> latest, MessageBatch messages,
                        LinkedHashMap<String, Boolean> known, List<RedisCommand<byte[], byte[], ?>> out) {
        if (latest.isEmpty()) {
            return;
        }
        CommandArgs<byte[], byte[]> hset = new CommandArgs<>(CODEC).addKey(key);
        for (Map.Entry<String, Integer> e : latest.entrySet()) {
            hset.addValue(e.getKey().getBytes(StandardCharsets.UTF_8)).addValue(messages.copy(e.getValue()));
            known.put(e.getKey(), Boolean.TRUE);
        }
        int n = latest.size();
        latest.clear();
        for (Iterator<String> it = known.keySet().iterator(); known.size() > config.maxSymbols() && it.hasNext(); ) {
            evictions.add(it.next().getBytes(StandardCharsets.UTF_8));
            it.remove();
        }
        out.add(counted(new Command<>(CommandType.HSET, new IntegerOutput<>(CODEC), hset), n));
        if (!evictions.isEmpty()) {
            CommandArgs<byte[], byte[]> hdel = new CommandArgs<>(CODEC).addKey(key);
            for (byte[] f : evictions) {
                hdel.addValue(f);
            }
            evicted += evictions.size();
            evictions.clear();
            out.add(counted(new Command<>(CommandType.HDEL, new IntegerOutput<>(CODEC), hdel), 0));
        }
    }

    private AsyncCommand<byte[], byte[], Long> counted(Command<byte[], byte[], Long> c, int fields) {
        AsyncCommand<byte[], byte[], Long> a = new AsyncCommand<>(c);
        a.whenComplete((r, e) -> {
            if (e != null) {
                failed.increment();
            } else if (fields > 0) {
                written.add(fields);
            }
        });
        return a;
    }

    /** Commands this adds to a batch at most (to size Lettuce's request queue). */
    static int commandsPerBatch() {
        return 4;
    }

    void putHealth(Map<String, Object> m) {
        m.put("last_value_key_prefix", config.keyPrefix());
        m.put("last_value_written", written.sum());
        m.put("last_value_failed", failed.sum());
        m.put("last_value_evicted", evicted);
    }

    long written() {
        return written.sum();
    }

    long failed() {
        return failed.sum();
    }

    long evicted() {
        return evicted;
    }
}
