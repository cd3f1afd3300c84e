package io.tickstock.admin.internal.auth;

import io.javalin.http.Context;
import io.tickstock.core.config.ConfigException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose forwarding headers are believed ({@code ADMIN_TRUSTED_PROXIES}: IP
 * addresses). Anyone can send {@code X-Forwarded-Proto} or {@code X-Forwarded-For}, so they count
 * only when the TCP peer is one of these; otherwise the connection itself is the truth.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(Set.of());
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Longer forwarding chains are not walked: bounded work per request. */
    private static final int MAX_HOPS = 16;

    private final Set<InetAddress> addresses;

    private TrustedProxies(Set<InetAddress> addresses) {
        this.addresses = Set.copyOf(addresses);
    }

    /** Parses IP address literals (host names are refused: no DNS lookups on the request path). */
    public static TrustedProxies parse(String key, List<String> items) {
        Set<InetAddress> out = new LinkedHashSet<>();
        for (String item : items) {
            out.add(literal(item).orElseThrow(() -> new ConfigException(key, item,
                    "IP addresses of reverse proxies, comma-separated, e.g. 127.0.0.1,::1")));
        }
        return new TrustedProxies(out);
    }

    public boolean isEmpty() {
        return addresses.isEmpty();
    }

    /** Whether {@code peer} (an address literal) is a trusted proxy. */
    public boolean trusts(String peer) {
        return !addresses.isEmpty() && literal(peer).map(addresses::contains).orElse(false);
    }

    /** {@code https} or {@code http} as the browser used it. */
    public String scheme(Context ctx) {
        return scheme(ctx.ip(), ctx.scheme(), ctx.header("X-Forwarded-Proto"));
    }

    /** Whether the browser's request came over HTTPS. */
    public boolean secure(Context ctx) {
        return "https".equals(scheme(ctx));
    }

    /** The client's address: from {@code X-Forwarded-For} when a trusted proxy sent it, else the peer. */
    public String client(Context ctx) {
        return client(ctx.ip(), ctx.header("X-Forwarded-For"));
    }

    String scheme(String peer, String connectionScheme, String forwardedProto) {
        if (forwardedProto != null && trusts(peer)) {
            // a chain of proxies appends: the first value is what the browser used
            String first = forwardedProto.split(",", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (first.equals("https") || first.equals("http")) {
                return first;
            }
        }
        return connectionScheme == null ? "http" : connectionScheme.toLowerCase(Locale.ROOT);
    }

    /** The rightmost address of the chain that is not a trusted proxy (the left part is the client's to forge). */
    String client(String peer, String forwardedFor) {
        if (forwardedFor == null || !trusts(peer)) {
            return normal(peer);
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= Math.max(0, hops.length - MAX_HOPS); i--) {
            Optional<InetAddress> a = literal(hops[i]);
            if (a.isEmpty()) {
                break;
            }
            if (!addresses.contains(a.get())) {
                return a.get().getHostAddress();
            }
        }
        return normal(peer);
    }

    private static String normal(String peer) {
        return literal(peer).map(InetAddress::getHostAddress).orElse(peer);
    }

    static Optional<InetAddress> literal(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        // only literals reach getByName, so it never resolves a name
        boolean v4 = IPV4.matcher(t).matches();
        if (v4) {
            for (String octet : t.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return Optional.empty();
                }
            }
        }
        if (t.isEmpty() || t.length() > 45 || !(v4 || (t.indexOf(':') >= 0
                && t.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)))) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(t));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return addresses.stream().map(InetAddress::getHostAddress).toList().toString();
    }
}
