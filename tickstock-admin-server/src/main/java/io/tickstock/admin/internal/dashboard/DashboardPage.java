package io.tickstock.admin.internal.dashboard;

import io.tickstock.admin.internal.api.StatusJson;
import io.tickstock.admin.gateway.NodeView;
import io.tickstock.admin.internal.metrics.ThroughputTracker;
import io.tickstock.core.connection.ConnectionInfo;
import j2html.tags.specialized.DivTag;
import j2html.tags.specialized.SectionTag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static j2html.TagCreator.*;

/**
 * The {@code /admin/websockets} page (j2html): the frame and one column per connection slot with its
 * current figures, so the page is useful before any script runs. {@code /static/dashboard.js} then
 * keeps it live over {@code /admin-ws}. Contains names, counts and tickers only, never a secret.
 */
public final class DashboardPage {
    /** What a whole-market slot shows instead of a ticker list. */
    static final String WHOLE_MARKET_LABEL = "all tickers (*)";
    /** The pages' icon, {@code /static/favicon.svg}; also served at {@code /favicon.ico}, which browsers ask for. */
    public static final byte[] FAVICON_SVG = resource("/static/favicon.svg");

    private DashboardPage() {
    }

    private static byte[] resource(String path) {
        try (java.io.InputStream in = DashboardPage.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static String render(String username, List<ConnectionInfo> infos, ThroughputTracker rates, boolean demo,
                                Duration metricsInterval, Instant now) {
        return render(username, infos, List.of(), true, rates, demo, metricsInterval, now);
    }

    /**
     * With {@code nodes} (several gateway nodes, {@code ADMIN_HEALTH_SOURCE=redis}) the columns are grouped
     * per node, each group headed by the node id and a live / stale badge. Reconnect buttons work only with
     * {@code control} (the gateway runs in this process); another node's slot is reconnected on its own page.
     */
    public static String render(String username, List<ConnectionInfo> infos, List<NodeView> nodes, boolean control,
                                ThroughputTracker rates, boolean demo, Duration metricsInterval, Instant now) {
        long connected = infos.stream().filter(ConnectionInfo::connected).count();
        return document(html(
                head(
                        meta().withCharset("utf-8"),
                        meta().withName("viewport").withContent("width=device-width, initial-scale=1"),
                        title("WebSocket Connections Monitor · TickStock"),
                        link().withRel("stylesheet").withHref("/static/dashboard.css"),
                        link().withRel("icon").withType("image/svg+xml").withHref("/static/favicon.svg"),
                        script().withSrc("/static/dashboard.js").attr("defer")),
                body(
                        header(
                                div(
                                        h1("WebSocket Connections Monitor"),
                                        iff(demo, span("DEMO DATA").withClass("demo-badge").withId("demo-badge")
                                                .attr("title", "Synthetic ticks from the built-in Massive emulator; not market data"))
                                ).withClass("brand"),
                                div(
                                        span(connected + "/" + infos.size() + " connected").withId("sum-connected"),
                                        span("0 ticks").withId("sum-ticks"),
                                        span("0 errors").withId("sum-errors"),
                                        span("connecting…").withId("stream-state").withClass("stream-state state-connecting")
                                ).withClass("summary"),
                                div(
                                        span(username).withClass("user").withId("user"),
                                        form(button("Log out").withType("submit").withClass("btn btn-ghost"))
                                                .withMethod("post").withAction("/logout").withClass("logout")
                                ).withClass("account")
                        ).withClass("topbar"),
                        div(
                                button("Pause").withId("btn-pause").withClass("btn").attr("aria-pressed", "false")
                                        .attr("title", "Stop the live ticker stream for this page (metrics keep updating)"),
                                label(input().withType("checkbox").withId("chk-autoscroll").isChecked(),
                                        text(" Auto-scroll (newest first)")).withClass("toggle"),
                                button("Collapse details").withId("btn-collapse").withClass("btn"),
                                button("Refresh configuration").withId("btn-refresh").withClass("btn"),
                                button("Full metrics").withId("btn-metrics").withClass("btn"),
                                span().withId("toolbar-note").withClass("muted")
                        ).withClass("toolbar"),
                        div(
                                strong("Live stream disconnected."),
                                span(" Reconnecting…").withId("banner-text")
                        ).withId("reconnect-banner").withClass("banner").attr("role", "status").attr("hidden"),
                        iff(demo, div(strong("Demo data: "), text("every price on this page is synthetic, generated by "
                                + "the built-in Massive emulator for sample universes; it is not market data. Set "
                                + "MASSIVE_API_KEY for live data."))
                                .withClass("demo-note").withId("demo-banner").attr("role", "note")),
                        (nodes.isEmpty() ? main(each(infos, c -> column(c, rates, now, control))).withClass("grid")
                                : main(each(nodes, n -> nodeGroup(n, rates, now))).withClass("grid nodes"))
                                .withId("grid")
                                .attr("data-metrics-interval", metricsInterval.toMillis()),
                        div(
                                div(
                                        div(h2("Full metrics"),
                                                div(button("Refresh").withId("metrics-refresh").withClass("btn"),
                                                        button("Close").withId("metrics-close").withClass("btn"))
                                                        .withClass("modal-actions")).withClass("modal-head"),
                                        div().withId("metrics-body").withClass("modal-body")
                                ).withClass("modal").attr("role", "dialog").attr("aria-modal", "true")
                        ).withId("metrics-modal").withClass("modal-backdrop").attr("hidden")
                )
        ).attr("lang", "en"));
    }

    private static DivTag nodeGroup(NodeView n, ThroughputTracker rates, Instant now) {
        return div(
                div(h2("Node " + n.nodeId()).withClass("node-name"),
                        span(n.stale() ? "stale" : "live").withClass("badge node-state "
                                + (n.stale() ? "badge-error" : "badge-connected")).attr("data-field", "node_state"))
                        .withClass("node-head"),
                div(each(n.connections(), c -> column(c, rates, now, false))).withClass("node-cols")
        ).withClass("node-group" + (n.stale() ? " is-stale" : "")).attr("data-node-id", n.nodeId());
    }

    /** @param local false for another node's slot: it is reconnected on that node's own dashboard */
    private static SectionTag column(ConnectionInfo c, ThroughputTracker rates, Instant now, boolean local) {
        String status = c.enabled() ? c.status().wireName() : "disabled";
        String source = c.wholeMarket() ? WHOLE_MARKET_LABEL : c.universeKey().orElseGet(() -> symbolsPreview(c.tickers()));
        String rate = String.valueOf(rates.rate(c.id(), c.messageCount(), c.messagesPerSecond()));
        return section(
                div(
                        div(span("Connection " + c.index()).withClass("slot"),
                                h2(c.name()).withClass("conn-name").attr("data-field", "name")).withClass("conn-title"),
                        span(status).withClass("badge badge-" + status).attr("data-field", "status")
                ).withClass("conn-head"),
                div(
                        button("Details").withClass("btn-small js-toggle").attr("aria-expanded", "true"),
                        button("Reconnect").withClass("btn-small js-reconnect").withCondDisabled(!c.enabled() || !local)
                                .withCondTitle(!local, "Reconnect it on its node's own dashboard")
                ).withClass("conn-actions"),
                dl(
                        dt("Priority"), dd(c.priority()).attr("data-field", "priority"),
                        dt("Universe / symbols"), dd(source).attr("data-field", "source").attr("title", c.configSource()),
                        dt("Tickers"), dd(String.valueOf(c.tickerCount())).attr("data-field", "ticker_count"),
                        dt("Uptime"), dd(uptime(StatusJson.uptimeSeconds(c, now))).attr("data-field", "uptime"),
                        dt("Last heartbeat"), dd("—").attr("data-field", "last_heartbeat"),
                        dt("Errors"), dd(String.valueOf(c.errorCount())).attr("data-field", "error_count"),
                        dt("Last error"), dd(c.lastError() == null ? "—" : c.lastError()).attr("data-field", "last_error")
                                .withClass("last-error")
                ).withClass("conn-details"),
                div(
                        div(span(rate).withClass("rate-value").attr("data-field", "msgs_per_sec"), span(" msg/s").withClass("muted"))
                                .withClass("rate-figure"),
                        canvas().withClass("spark").attr("width", "300").attr("height", "44")
                                .attr("aria-label", "messages per second, last minute")
                ).withClass("rate"),
                tickers()
        ).withId("conn-" + c.index()).withClass("conn conn-c" + c.index() + (c.enabled() ? "" : " is-disabled"))
                .attr("data-connection-id", c.id()).attr("data-index", c.index());
    }

    private static DivTag tickers() {
        return div(
                div(span("Symbol"), span("Price").withClass("num"), span(""), span("Updated").withClass("num"))
                        .withClass("tick-head"),
                div(div().withClass("tick-spacer"), div().withClass("tick-rows")).withClass("tick-viewport"),
                div(span("No data yet").withClass("tick-count")).withClass("tick-foot")
        ).withClass("tickers");
    }

    /** Up to 12 tickers, then a count of the rest, as the page's script shows them too. */
    static String symbolsPreview(java.util.Set<String> tickers) {
        if (tickers.isEmpty()) {
            return "—";
        }
        List<String> sorted = tickers.stream().sorted().toList();
        String head = String.join(", ", sorted.subList(0, Math.min(12, sorted.size())));
        return sorted.size() > 12 ? head + " … (+" + (sorted.size() - 12) + ")" : head;
    }

    static String uptime(long s) {
        if (s <= 0) {
            return "—";
        }
        long h = s / 3600;
        long m = (s % 3600) / 60;
        return h > 0 ? h + "h " + m + "m" : m > 0 ? m + "m " + (s % 60) + "s" : s + "s";
    }
}
