package io.tickstock.admin.internal.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tickstock.admin.gateway.GatewayControl;
import io.tickstock.admin.gateway.GatewayStatus;
import io.tickstock.admin.internal.metrics.ThroughputTracker;
import io.tickstock.core.connection.ConnectionInfo;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Handlers of the JSON API under {@code /api/admin}. Authorisation is done by the caller. */
public final class StatusApi {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final GatewayStatus gateway;
    private final Optional<GatewayControl> control;
    private final ThroughputTracker rates;
    private final Clock clock;

    /** @param control the connection actions; empty where the gateway runs elsewhere (reconnect answers 409) */
    public StatusApi(GatewayStatus gateway, Optional<GatewayControl> control, ThroughputTracker rates, Clock clock) {
        this.gateway = gateway;
        this.control = control;
        this.rates = rates;
        this.clock = clock;
    }

    /** {@code GET /api/admin/websocket-status}. */
    public void websocketStatus(Context ctx) throws Exception {
        var now = clock.instant();
        Map<String, Object> body = StatusJson.websocketStatus(gateway.connections(), rates, gateway.demo(), now);
        body.put("nodes", StatusJson.nodes(gateway.nodes(), rates, now)); // several gateway nodes (docs/scaling.md)
        json(ctx, HttpStatus.OK, body);
    }

    /** {@code GET /api/admin/health-status}: the core snapshot as is, plus {@code demo} (synthetic data). */
    public void healthStatus(Context ctx) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>(gateway.health().toMap());
        body.put("demo", gateway.demo());
        json(ctx, HttpStatus.OK, body);
    }

    /** {@code POST /api/admin/connections/{id}/reconnect}; {@code id} is {@code 2} or {@code connection_2}. */
    public void reconnect(Context ctx) throws Exception {
        String raw = ctx.pathParam("id");
        Optional<ConnectionInfo> target = gateway.connections().stream()
                .filter(c -> c.id().equals(raw) || String.valueOf(c.index()).equals(raw)).findFirst();
        Map<String, Object> body = new LinkedHashMap<>();
        if (control.isEmpty()) {
            body.put("error", "reconnect is not offered here: this server shows gateway nodes from Redis; "
                    + "reconnect on the node's own admin server");
            json(ctx, HttpStatus.CONFLICT, body);
            return;
        }
        if (target.isEmpty()) {
            body.put("error", "no such connection");
            json(ctx, HttpStatus.NOT_FOUND, body);
            return;
        }
        ConnectionInfo c = target.get();
        body.put("connection_id", c.id());
        if (!c.enabled()) {
            body.put("error", "connection is disabled");
            json(ctx, HttpStatus.CONFLICT, body);
            return;
        }
        try {
            control.get().reconnect(c.id());
        } catch (NoSuchElementException e) {
            body.put("error", "connection is not running");
            json(ctx, HttpStatus.CONFLICT, body);
            return;
        }
        body.put("result", "reconnecting");
        json(ctx, HttpStatus.ACCEPTED, body);
    }

    /** Writes {@code body} as the JSON response with {@code status}. */
    public static void json(Context ctx, HttpStatus status, Object body) throws Exception {
        ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsString(body));
    }
}
