package io.tickstock.admin.internal.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.tickstock.admin.internal.audit.AuditLog;
import io.tickstock.admin.internal.auth.AccessGuard;
import io.tickstock.admin.internal.auth.Principal;
import io.tickstock.admin.internal.auth.SessionStore;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The {@code /admin-ws} endpoint: registers browsers with the {@link DashboardStream} and handles
 * their actions ({@code pause}, {@code resume}, {@code request_metrics}). Authorisation happened
 * before the upgrade ({@link AccessGuard#beforeWsUpgrade}).
 */
public final class AdminSocket {
    /** Browsers only send tiny action objects; anything larger closes the socket (1009). */
    public static final int MAX_INBOUND_BYTES = 4096;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CLOSED = "tickstock.closed";

    private final DashboardStream stream;
    private final AuditLog audit;
    private final SessionStore logins;

    public AdminSocket(DashboardStream stream, AuditLog audit, SessionStore logins) {
        this.stream = stream;
        this.audit = audit;
        this.logins = logins;
    }

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setMaxTextMessageSize(MAX_INBOUND_BYTES);
            ctx.session.setMaxBinaryMessageSize(MAX_INBOUND_BYTES);
            ctx.session.setMaxOutgoingFrames(DashboardSession.MAX_OUTSTANDING * 2);
            ctx.session.setIdleTimeout(Duration.ofMinutes(5));
            Principal p = ctx.attribute(AccessGuard.PRINCIPAL);
            String token = ctx.attribute(AccessGuard.SESSION_TOKEN);
            // a socket opened with a browser session lives only as long as that session; with Basic
            // credentials there is nothing to end (they cannot change while the server runs)
            BooleanSupplier authorised = token == null ? () -> true : () -> logins.active(token);
            stream.register(new DashboardSession(ctx.sessionId(), p == null ? null : p.username(), client(ctx),
                    new JettyOutbound(ctx.session), System.nanoTime(), authorised));
        });
        ws.onMessage(ctx -> {
            DashboardSession s = stream.session(ctx.sessionId());
            if (s == null) {
                return;
            }
            if (!s.authorised()) {
                stream.revalidate();
                return;
            }
            String action = action(ctx.message());
            switch (action) {
                case "pause" -> s.pause();
                case "resume" -> s.resume();
                case "request_metrics" -> s.requestMetrics();
                default -> s.sendControl(StreamMessages.event(StreamMessages.ERROR,
                        Map.of("message", "unknown action; expected pause, resume or request_metrics")));
            }
        });
        ws.onBinaryMessage(ctx -> ctx.closeSession(1003, "text frames only"));
        ws.onClose(ctx -> closed(ctx, ctx.status() + (ctx.reason() == null ? "" : " " + ctx.reason())));
        ws.onError(ctx -> closed(ctx, ctx.error() == null ? "error" : ctx.error().getClass().getSimpleName()));
    }

    private void closed(WsContext ctx, String detail) {
        stream.unregister(ctx.sessionId());
        // the stream may have dropped the session already (e.g. its login ended): audit from the
        // upgrade's attributes, once, whichever of close and error comes first
        if (ctx.attribute(CLOSED) != null) {
            return;
        }
        ctx.attribute(CLOSED, Boolean.TRUE);
        Principal p = ctx.attribute(AccessGuard.PRINCIPAL);
        audit.record(p == null ? null : p.username(), client(ctx), "ws_disconnect", "/admin-ws", "ok", detail);
    }

    static String action(String message) {
        try {
            JsonNode n = MAPPER.readTree(message);
            JsonNode a = n == null ? null : n.get("action");
            return a != null && a.isTextual() ? a.asText() : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static String client(WsContext ctx) {
        String fromUpgrade = ctx.attribute(AccessGuard.CLIENT);
        if (fromUpgrade != null) {
            return fromUpgrade;
        }
        var addr = ctx.session.getRemoteSocketAddress();
        if (addr instanceof java.net.InetSocketAddress i) {
            return i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
        }
        return String.valueOf(addr);
    }
}
