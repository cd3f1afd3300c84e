package io.tickstock.redis.internal.node;

import io.tickstock.redis.node.LeasedFeedClientFactory;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tickstock.core.config.Secret;
import io.tickstock.redis.RedisConnector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * The connection-slot leases of one API key: {@code tickstock:lease:<sha-256 of the key, 16 hex>:<n>} for
 * n = 1..slots, each held by one connection of one node ({@code SET NX PX}, value {@code <node>/<connection>}),
 * renewed and released only by its holder (compare-and-renew / compare-and-delete scripts), free again
 * when its holder stops renewing (a crashed node) after the TTL.
 *
 * <p>Not thread-safe: used from the leasing thread of {@link LeasedFeedClientFactory} only.
 * Every call may throw Lettuce's exceptions when Redis is unreachable.
 */
public final class SlotLeases implements AutoCloseable {
    /** 1: renewed; 2: the key had vanished (a Redis restart) and is ours again; 0: another holder has it. */
    private static final String RENEW = "local v = redis.call('get', KEYS[1]) "
            + "if v == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end "
            + "if not v then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end "
            + "return 0";
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('del', KEYS[1]) else return 0 end";

    private final RedisConnector connector;
    private final String prefix;
    private final int slots;
    private final long ttlMillis;
    private StatefulRedisConnection<String, String> connection;

    public SlotLeases(RedisConnector connector, Secret apiKey, int slots, Duration ttl) {
        this.connector = connector;
        this.prefix = NodeKeys.LEASE_PREFIX + keyHash(apiKey) + ":";
        this.slots = slots;
        this.ttlMillis = ttl.toMillis();
    }

    /** The first 16 hex digits of SHA-256 of the key: names the key's leases without revealing it. */
    public static String keyHash(Secret apiKey) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(apiKey.reveal().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String key(int slot) {
        return prefix + slot;
    }

    /** An error message safe to log or show, naming an authentication failure as such. */
    public String safeMessage(Throwable t) {
        return connector.safeMessage(t);
    }

    public int slots() {
        return slots;
    }

    /** Takes a free slot for {@code holder}, trying {@code preferred} first; empty when all are held. */
    public OptionalInt tryAcquire(String holder, int preferred) {
        RedisCommands<String, String> r = commands();
        for (int i = 0; i < slots; i++) {
            int n = (Math.max(0, preferred - 1) + i) % slots + 1;
            if ("OK".equals(r.set(key(n), holder, SetArgs.Builder.nx().px(ttlMillis)))) {
                return OptionalInt.of(n);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Extends the lease if {@code holder} still has it, or takes it again if its key vanished (Redis restarted
     * without persistence: nobody else holds it); false when another holder has it.
     */
    public boolean renew(int slot, String holder) {
        Long r = commands().eval(RENEW, ScriptOutputType.INTEGER, new String[] {key(slot)}, holder,
                Long.toString(ttlMillis));
        return r != null && r != 0L;
    }

    /** Frees the slot if {@code holder} still has it. */
    public boolean release(int slot, String holder) {
        Long r = commands().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key(slot)}, holder);
        return r != null && r == 1L;
    }

    /** Who holds slot {@code n} now, or null. */
    public String holder(int slot) {
        return commands().get(key(slot));
    }

    private RedisCommands<String, String> commands() {
        if (connection == null) {
            connection = connector.connectText();
        }
        return connection.sync();
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
