package io.tickstock.admin.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test client of {@code /admin-ws} that records every frame as JSON with its arrival time. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One received frame. */
    public record Frame(String event, JsonNode data, long receivedAtMillis) {
    }

    public final List<Frame> frames = new CopyOnWriteArrayList<>();
    /** The close code the server sent, null while open. */
    public volatile Integer closeCode;
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket ws;

    public WsClient(HttpClient http, String url, String... headers) {
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        ws = b.buildAsync(URI.create(url), this).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode n = JSON.readTree(partial.toString());
                frames.add(new Frame(n.get("event").asText(), n.get("data"), System.currentTimeMillis()));
            } catch (Exception e) {
                frames.add(new Frame("unparseable", null, System.currentTimeMillis()));
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        return null;
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    public List<Frame> events(String name) {
        List<Frame> out = new ArrayList<>();
        for (Frame f : frames) {
            if (f.event().equals(name)) {
                out.add(f);
            }
        }
        return out;
    }

    /** Every tick of every {@code tick_update} received so far matching {@code p}. */
    public List<JsonNode> ticks(Predicate<JsonNode> p) {
        List<JsonNode> out = new ArrayList<>();
        for (Frame f : events("tick_update")) {
            for (JsonNode t : f.data()) {
                if (p.test(t)) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        ws.abort();
    }
}
