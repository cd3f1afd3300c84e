package io.tickstock.redis.node;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Settings;

import java.net.InetAddress;
import java.util.Locale;

/**
 * The name of one gateway process among several sharing a Redis: {@code TICKSTOCK_NODE_ID}, by default
 * {@code <hostname>-<pid>} (unique on a machine and across machines with distinct host names).
 */
public record NodeId(String value) implements Comparable<NodeId> {
    /**
     * {@code TICKSTOCK_NODE_ID}: This node's id (1–64 of {@code A-Za-z0-9._-}). Default: {@code
     * <hostname>-<pid>}.
     */
    public static final String KEY = "TICKSTOCK_NODE_ID";
    private static final String ALLOWED = "1 to 64 characters among letters, digits, '.', '_' and '-'";

    /** @throws io.tickstock.core.config.ConfigException naming {@link #KEY} for an id outside 1–64 of {@code A-Za-z0-9._-} */
    public NodeId {
        if (value == null || !value.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException(KEY, value, ALLOWED);
        }
    }

    /** {@link #KEY}, else {@code <hostname>-<pid>}. */
    public static NodeId from(Settings s) {
        return new NodeId(s.get(KEY).orElseGet(NodeId::defaultValue));
    }

    /** {@code <hostname>-<pid>}, with characters outside the allowed set replaced by '-'. */
    static String defaultValue() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        String clean = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        String v = clean + "-" + ProcessHandle.current().pid();
        return v.length() <= 64 ? v : v.substring(v.length() - 64);
    }

    @Override
    public int compareTo(NodeId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
