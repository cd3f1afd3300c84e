package io.tickstock.redis.internal.node;

import io.tickstock.redis.node.NodeId;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The index of the nodes writing health snapshots: the sorted set {@code tickstock:node:heartbeats}
 * (member = node id, score = its last write, epoch ms) next to each {@code tickstock:node:<id>:health}.
 * Writing a snapshot and reading every live one each take one round trip (a script), with no keyspace
 * scan. A node whose snapshot key expired (its TTL is the authority, so node clocks need not agree) is
 * removed from the set by the next reader.
 */
public final class NodeHeartbeats {
    /** KEYS: snapshot key, set. ARGV: document, TTL ms, now ms, node id. */
    private static final String WRITE = "redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) "
            + "redis.call('zadd', KEYS[2], ARGV[3], ARGV[4]) return 1";
    /** KEYS: set. ARGV: key prefix, key suffix. Returns id, document pairs of live nodes; prunes the rest. */
    private static final String READ = "local out = {} "
            + "for _, id in ipairs(redis.call('zrange', KEYS[1], 0, -1)) do "
            + "local v = redis.call('get', ARGV[1] .. id .. ARGV[2]) "
            + "if v then out[#out + 1] = id; out[#out + 1] = v else redis.call('zrem', KEYS[1], id) end end "
            + "return out";

    private NodeHeartbeats() {
    }

    /** Writes {@code node}'s snapshot with its TTL and its heartbeat, atomically. */
    public static void write(RedisCommands<String, String> r, NodeId node, String json, long ttlMillis,
                             long nowMillis) {
        r.eval(WRITE, ScriptOutputType.INTEGER, new String[] {NodeKeys.health(node), NodeKeys.HEARTBEATS}, json,
                Long.toString(ttlMillis), Long.toString(nowMillis), node.value());
    }

    /** Removes {@code node}'s snapshot and heartbeat (a clean stop). */
    public static void remove(RedisCommands<String, String> r, NodeId node) {
        r.zrem(NodeKeys.HEARTBEATS, node.value());
        r.del(NodeKeys.health(node));
    }

    /** The snapshot documents of every live node, keyed by node id, in heartbeat order (oldest first); prunes stale ones. */
    public static Map<String, String> readLive(RedisCommands<String, String> r) {
        List<String> pairs = r.eval(READ, ScriptOutputType.MULTI, new String[] {NodeKeys.HEARTBEATS},
                NodeKeys.NODE_PREFIX, NodeKeys.HEALTH_SUFFIX);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            m.put(pairs.get(i), pairs.get(i + 1));
        }
        return m;
    }
}
