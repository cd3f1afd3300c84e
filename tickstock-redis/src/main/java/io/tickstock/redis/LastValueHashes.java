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
import java.util.Arrays;
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
 * <p>Owned by the publisher thread (no locking). The tickers written are remembered per hash in an
 * access-ordered map capped at {@code maxSymbols}; the one written longest ago is removed with
 * {@code HDEL} when a new one would exceed the cap (counted). A ticker's entry also caches its UTF-8
 * bytes and where it stands in the current batch, so a tick costs one map look-up and no allocation
 * (only a ticker not seen before adds a map node).
 */
final class LastValueHashes {
    private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

    private final LastValueConfig config;
    private final Hash trades;
    private final Hash quotes;
    private final List<byte[]> evictions = new ArrayList<>();
    private final LongAdder written = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile long evicted;
    private long batch; // stamps the entries taken in the current batch (a long: never wraps)

    LastValueHashes(LastValueConfig config) {
        this.config = config;
        this.trades = new Hash(config.keyBytes(EventType.T));
        this.quotes = new Hash(config.keyBytes(EventType.Q));
    }

    /** A ticker known to one hash. */
    private static final class Ticker {
        final byte[] utf8;
        long batch; // the batch that last took it
        int slot; // its field's position in that batch's HSET

        Ticker(String symbol) {
            this.utf8 = symbol.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** One hash: its known tickers in the order they were last written, and the current batch's fields. */
    private static final class Hash {
        final byte[] key;
        final byte[] header;
        final LinkedHashMap<String, Ticker> known = new LinkedHashMap<>(16, 0.75f, true);
        byte[][] fields = new byte[16][];
        int[] latest = new int[16]; // per field: the index in the batch of the ticker's latest message
        int size;

        Hash(byte[] key) {
            this.key = key;
            this.header = LastValueCommand.header(key);
        }

        /** Message {@code i} of the current batch (stamped {@code batch}) is the latest of {@code symbol}. */
        void take(String symbol, int i, long batch) {
            Ticker t = known.get(symbol); // also marks it as written now
            if (t == null) {
                t = new Ticker(symbol);
                known.put(symbol, t);
            } else if (t.batch == batch) {
                latest[t.slot] = i; // a later message of a ticker already in this batch
                return;
            }
            if (size == fields.length) {
                fields = Arrays.copyOf(fields, size * 2);
                latest = Arrays.copyOf(latest, size * 2);
            }
            t.batch = batch;
            t.slot = size;
            fields[size] = t.utf8;
            latest[size++] = i;
        }
    }

    /** Adds this batch's {@code HSET}s (and {@code HDEL}s of evicted tickers) to {@code out}. */
    void addCommands(Tick[] ticks, MessageBatch messages, List<RedisCommand<byte[], byte[], ?>> out) {
        long b = ++batch;
        for (int i = 0; i < messages.count(); i++) {
            Tick t = ticks[i];
            if (t.eventType() == EventType.T) {
                trades.take(t.symbol(), i, b);
            } else if (t.eventType() == EventType.Q) {
                quotes.take(t.symbol(), i, b);
            }
        }
        addFor(trades, messages, out);
        addFor(quotes, messages, out);
    }

    private void addFor(Hash h, MessageBatch messages, List<RedisCommand<byte[], byte[], ?>> out) {
        if (h.size == 0) {
            return;
        }
        // the command keeps its own arrays: the hash's are reused for the next batch
        out.add(new LastValueCommand(h.header, Arrays.copyOf(h.fields, h.size), Arrays.copyOf(h.latest, h.size),
                messages, written, failed));
        Arrays.fill(h.fields, 0, h.size, null);
        h.size = 0;
        for (Iterator<Ticker> it = h.known.values().iterator(); h.known.size() > config.maxSymbols() && it.hasNext(); ) {
            evictions.add(it.next().utf8);
            it.remove();
        }
        if (!evictions.isEmpty()) {
            CommandArgs<byte[], byte[]> hdel = new CommandArgs<>(CODEC).addKey(h.key);
            for (byte[] f : evictions) {
                hdel.addValue(f);
            }
            evicted += evictions.size();
            evictions.clear();
            out.add(counted(new Command<>(CommandType.HDEL, new IntegerOutput<>(CODEC), hdel)));
        }
    }

    private AsyncCommand<byte[], byte[], Long> counted(Command<byte[], byte[], Long> c) {
        AsyncCommand<byte[], byte[], Long> a = new AsyncCommand<>(c);
        a.whenComplete((r, e) -> {
            if (e != null) {
                failed.increment();
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
