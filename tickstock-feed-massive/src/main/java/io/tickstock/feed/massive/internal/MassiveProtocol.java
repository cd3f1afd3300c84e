package io.tickstock.feed.massive.internal;

import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.core.internal.log.SafeText;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Massive protocol of one connection, apart from the socket: answers {@code connected} with
 * the API key, turns the server's statuses into engine actions and acknowledgements into ledger
 * updates, and writes subscription changes as small batched control messages. Runs on the
 * connection's event loop.
 */
public final class MassiveProtocol {
    /** What the protocol asks of the connection engine. */
    public interface Engine {
        /** Writes one control message on the current session, if there is one. */
        void sendControl(String json);

        /** The session is authenticated. */
        void authenticated();

        /** A fatal condition for this connection until an operator reconnects (bad key). */
        void halt(String message);

        /** Another client took this API key's connection slot. */
        void evicted(String message);

        /** Ends the current session for {@code reason}; the engine decides whether to retry. */
        void closeSession(String reason);

        /** Reports a protocol problem ({@code always}: never rate limited). */
        void report(String message, boolean always);
    }

    private static final String SUBSCRIBED = "subscribed to: ";
    private static final String UNSUBSCRIBED_TO = "unsubscribed to: ";
    private static final String UNSUBSCRIBED_FROM = "unsubscribed from: ";

    private final MassiveConfig config;
    private final SubscriptionLedger ledger;
    private final SubscriptionBatcher batcher;
    private final Engine engine;
    private final AtomicLong serverErrors = new AtomicLong(); // written on the loop, read by health

    public MassiveProtocol(MassiveConfig config, SubscriptionLedger ledger, Engine engine) {
        this.config = config;
        this.ledger = ledger;
        this.batcher = new SubscriptionBatcher(config.subscribeBatchItems(), config.subscribeBatchBytes());
        this.engine = engine;
    }

    /** {@code error} statuses received (e.g. a refused subscription). */
    public long serverErrors() {
        return serverErrors.get();
    }

    /** One status message from the server. */
    public void onStatus(String rawStatus, String rawMessage) {
        // the server's words go to the log, the status API and the page: escaped and capped first
        String status = String.valueOf(rawStatus);
        String message = SafeText.of(rawMessage);
        switch (status) {
            case "connected" -> {
                if (config.apiKey().isEmpty()) {
                    engine.halt("MASSIVE_API_KEY is not set");
                    return;
                }
                engine.sendControl(ControlMessages.auth(config.apiKey().get().reveal()));
            }
            case "auth_success" -> engine.authenticated();
            case "auth_failed" -> engine.halt("auth_failed: " + message);
            case "auth_timeout" -> engine.closeSession("auth_timeout: " + message);
            case "max_connections" -> engine.evicted(message);
            case "success" -> onAck(message);
            case "error" -> {
                serverErrors.incrementAndGet();
                engine.report("server error: " + message, true);
            }
            default -> engine.report("server status " + SafeText.of(status, 40) + ": " + message, false);
        }
    }

    private void onAck(String message) {
        if (message.startsWith(SUBSCRIBED)) {
            ledger.subscribed(message.substring(SUBSCRIBED.length()).strip());
        } else if (message.startsWith(UNSUBSCRIBED_TO)) {
            ledger.unsubscribed(message.substring(UNSUBSCRIBED_TO.length()).strip());
        } else if (message.startsWith(UNSUBSCRIBED_FROM)) {
            ledger.unsubscribed(message.substring(UNSUBSCRIBED_FROM.length()).strip());
        }
    }

    /** Sends the whole ledger: after every authentication. */
    public void replay() {
        send("subscribe", ledger.replay());
    }

    public void subscribe(List<String> params) {
        send("subscribe", params);
    }

    public void unsubscribe(List<String> params) {
        send("unsubscribe", params);
    }

    private void send(String action, List<String> params) {
        for (SubscriptionBatcher.Batch batch : batcher.batches(action, params)) {
            engine.sendControl(batch.json());
        }
    }
}
