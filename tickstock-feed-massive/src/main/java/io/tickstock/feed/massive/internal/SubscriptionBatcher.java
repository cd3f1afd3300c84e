package io.tickstock.feed.massive.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Splits a subscribe or unsubscribe of many params into messages that stay small: at most
 * {@code maxItems} params and {@code maxBytes} bytes each, so that thousands of tickers never
 * make one huge control message.
 */
public final class SubscriptionBatcher {
    private final int maxItems;
    private final int maxBytes;

    public SubscriptionBatcher(int maxItems, int maxBytes) {
        if (maxItems < 1 || maxBytes < 64) {
            throw new IllegalArgumentException("maxItems >= 1 and maxBytes >= 64 required");
        }
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
    }

    /** The messages for {@code action} ({@code subscribe} or {@code unsubscribe}) over {@code params}, in order. */
    public List<Batch> batches(String action, Collection<String> params) {
        // the size of the message Jackson writes: params are validated tickers with a channel
        // prefix (ASCII, no quotes or backslashes), so nothing is escaped
        int overhead = ControlMessages.subscription(action, "").length();
        List<Batch> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        List<String> items = new ArrayList<>();
        for (String p : params) {
            int extra = (items.isEmpty() ? 0 : 1) + p.length();
            if (!items.isEmpty() && (items.size() >= maxItems || overhead + sb.length() + extra > maxBytes)) {
                out.add(new Batch(ControlMessages.subscription(action, sb.toString()), List.copyOf(items)));
                sb.setLength(0);
                items.clear();
            }
            if (!items.isEmpty()) {
                sb.append(',');
            }
            sb.append(p);
            items.add(p);
        }
        if (!items.isEmpty()) {
            out.add(new Batch(ControlMessages.subscription(action, sb.toString()), List.copyOf(items)));
        }
        return out;
    }

    /** One control message and the params it carries. */
    public record Batch(String json, List<String> params) {
    }
}
