package io.tickstock.benchmarks.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CorpusServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private CorpusServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void corpusHasWholeFramesOfTheSubscribedItemsOnlyAndIsDeterministic() throws Exception {
        List<String> items = List.of("Q.AAA", "T.AAA", "T.BBB");
        long start = 1_764_633_600_000L;
        Corpus a = Corpus.build(List.of("AM.AAA", "Q.AAA", "T.AAA", "T.BBB"), 250, 1_000, start); // no AM events made
        Corpus b = Corpus.build(items, 250, 1_000, start);
        try {
            assertThat(a.warmupFrames()).isEqualTo(2); // 250 rounded up to whole frames of 200
            assertThat(a.warmupEvents()).isEqualTo(400);
            assertThat(a.timedEvents()).isEqualTo(1_000);
            assertThat(a.frames()).hasSize(7);
            assertThat(a.whole()).isEqualTo(b.whole());
            Map<String, Long> lastSeq = new HashMap<>();
            Map<String, Integer> byItem = new HashMap<>();
            for (var frame : a.frames()) {
                JsonNode events = JSON.readTree(frame.toString(StandardCharsets.US_ASCII));
                assertThat(events.size()).isEqualTo(Corpus.EVENTS_PER_FRAME);
                for (JsonNode e : events) {
                    String item = e.get("ev").asText() + "." + e.get("sym").asText();
                    byItem.merge(item, 1, Integer::sum);
                    long q = e.get("q").asLong();
                    Long prev = lastSeq.put(e.get("sym").asText(), q);
                    assertThat(prev == null || q > prev).as("q increases per ticker").isTrue();
                    assertThat(e.get("t").asLong()).isGreaterThanOrEqualTo(start);
                }
            }
            assertThat(byItem.keySet()).containsExactlyInAnyOrderElementsOf(items);
            assertThat(byItem.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1_400);
        } finally {
            a.release();
            b.release();
        }
    }

    @Test
    void speaksTheControlPlaneAndStreamsEveryEventToASlowReaderThenTheMarker() throws Exception {
        server = new CorpusServer("key", 1, 400, 300_000); // ~40 MB: more than loopback buffers hold
        Client c = new Client(server.url());
        assertThat(c.next().get(0).get("status").asText()).isEqualTo("connected");
        c.ws.sendText("{\"action\":\"auth\",\"params\":\"key\"}", true).join();
        assertThat(c.next().get(0).get("status").asText()).isEqualTo("auth_success");
        c.ws.sendText("{\"action\":\"subscribe\",\"params\":\"T.AAA,Q.AAA,X.BBB,T.BBB,T.A\\\"B\"}", true).join();
        JsonNode acks = c.next();
        assertThat(acks).hasSize(3); // one per item; the unknown prefix X and the hostile ticker get no reply
        assertThat(acks.get(2).get("message").asText()).isEqualTo("subscribed to: T.BBB");

        List<Corpus> corpora = server.awaitSettled(1, 3, 50, 10_000);
        assertThat(corpora.get(0).events()).isEqualTo(300_400);

        server.stream(corpora, true, true).get(10, TimeUnit.SECONDS);
        assertThat(c.eventsUntilMarker()).isEqualTo(400);

        c.paused.set(true); // the reader stops reading: the server must wait, not drop or disconnect
        CompletableFuture<Void> written = server.stream(corpora, false, true);
        await().during(java.time.Duration.ofMillis(300)).atMost(java.time.Duration.ofSeconds(2))
                .until(() -> !written.isDone());
        c.resume();
        assertThat(c.eventsUntilMarker()).isEqualTo(300_000);
        written.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWrongKeyGetsAuthFailedAndTheConnectionClosed() throws Exception {
        server = new CorpusServer("key", 1, 0, 200);
        Client c = new Client(server.url());
        c.next();
        c.ws.sendText("{\"action\":\"auth\",\"params\":\"nope\"}", true).join();
        assertThat(c.next().get(0).get("status").asText()).isEqualTo("auth_failed");
        await().atMost(java.time.Duration.ofSeconds(5)).until(c.closed::get);
    }

    /** A JDK WebSocket reader that can stop asking for messages (TCP backpressure on the server). */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final AtomicBoolean paused = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();
        final StringBuilder partial = new StringBuilder();
        final WebSocket ws;
        volatile boolean pendingRequest;

        Client(String url) throws Exception {
            ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), this)
                    .get(10, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            if (paused.get()) {
                pendingRequest = true;
            } else {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.set(true);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.set(true);
        }

        void resume() {
            paused.set(false);
            if (pendingRequest) {
                pendingRequest = false;
                ws.request(1);
            }
        }

        JsonNode next() throws Exception {
            String m = messages.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("a message within 10 s").isNotNull();
            return JSON.readTree(m);
        }

        long eventsUntilMarker() throws Exception {
            long events = 0;
            while (true) {
                JsonNode m = next();
                if (m.get(0).get("ev").asText().equals("status")) {
                    assertThat(m.get(0).get("message").asText()).isEqualTo("end of corpus");
                    return events;
                }
                events += m.size();
            }
        }
    }
}
