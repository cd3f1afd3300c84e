package io.tickstock.redis.node;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Rendezvous (highest-random-weight) placement of a ticker among node ids: every node computes the same
 * owner from the same member list, and when a node joins or leaves only the tickers it gains or held move
 * (about 1/n of them), unlike {@code hash mod n}, which would reshuffle nearly all.
 */
final class Rendezvous {
    private Rendezvous() {
    }

    /** The owner of {@code ticker} among {@code nodes} (non-empty); ties go to the smaller id. */
    static String owner(String ticker, Collection<String> nodes) {
        String best = null;
        long bestWeight = 0;
        for (String n : nodes) {
            long w = weight(n, ticker);
            if (best == null || Long.compareUnsigned(w, bestWeight) > 0
                    || w == bestWeight && n.compareTo(best) < 0) {
                best = n;
                bestWeight = w;
            }
        }
        return best;
    }

    /** FNV-1a 64 of {@code node \0 ticker}, finished with a 64-bit mix so that close inputs spread. */
    static long weight(String node, String ticker) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (node + '\0' + ticker).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
