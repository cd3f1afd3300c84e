package io.tickstock.admin.internal.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps repeated rejections of anonymous clients out of the audit trail one by one: per client
 * address and clock minute, the first is written in full and the rest are counted, to be written
 * as one summary line when the minute is over. At most {@code maxClients} addresses are tracked
 * per minute; rejections of further addresses are counted together. Not thread-safe: the owner
 * serialises calls.
 */
final class FloodSummary {
    /** The client name of the summary that counts addresses beyond the tracked ones. */
    static final String OTHER_CLIENTS = "*";

    /** {@code count} rejections of {@code client} in the minute starting at {@code minute} (epoch minutes) were not written. */
    record Summary(String client, long minute, long count) {
    }

    private final int maxClients;
    private long minute = Long.MIN_VALUE;
    /** Per address this minute: rejections after the first (0 = only the first, written). */
    private final Map<String, Long> repeats = new LinkedHashMap<>();
    private long others;

    FloodSummary(int maxClients) {
        this.maxClients = maxClients;
    }

    /**
     * Counts a rejection of {@code client} at {@code nowMinute}; true when it is to be written in
     * full. Call {@link #drainBefore} first so that a finished minute is summarised.
     */
    boolean admit(String client, long nowMinute) {
        if (nowMinute != minute) {
            repeats.clear();
            others = 0;
            minute = nowMinute;
        }
        Long seen = repeats.get(client);
        if (seen != null) {
            repeats.put(client, seen + 1);
            return false;
        }
        if (repeats.size() >= maxClients) {
            others++;
            return false;
        }
        repeats.put(client, 0L);
        return true;
    }

    /** The summaries of the tracked minute if it ended before {@code nowMinute} (all of them when {@code nowMinute} is MAX). */
    List<Summary> drainBefore(long nowMinute) {
        if (minute == Long.MIN_VALUE || minute >= nowMinute) {
            return List.of();
        }
        List<Summary> out = new ArrayList<>();
        repeats.forEach((client, n) -> {
            if (n > 0) {
                out.add(new Summary(client, minute, n));
            }
        });
        if (others > 0) {
            out.add(new Summary(OTHER_CLIENTS, minute, others));
        }
        repeats.clear();
        others = 0;
        minute = Long.MIN_VALUE;
        return out;
    }
}
