package io.tickstock.emulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The emulator's wire behaviour, seen by a plain WebSocket client (the JDK's) rather than ours. */
class EmulatorProtocolIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Pattern EVENT = Pattern.compile("\\{\"ev\":\"([A-Z]+)\",\"(?:sym|T)\":\"([^\"]*)\"([^}]*)}");
    private MassiveEmulator emulator;
    private WebSocket socket;

    @AfterEach
    void stop() {
        if (socket != null) {
            socket.abort();
        }
        if (emulator != null) {
            emulator.stop();
        }
    }

    /** Collects text frames; reads on only while {@code reading} is true. */
    private static final class Collector implements WebSocket.Listener {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final AtomicBoolean reading = new AtomicBoolean(true);
        private final StringBuilder partial = new StringBuilder();
        volatile boolean closed;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            if (reading.get()) {
                ws.request(1);
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed = true;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed = true;
            return null;
        }

        boolean has(String text) {
            return frames.stream().anyMatch(f -> f.contains(text));
        }

        List<String[]> events() {
            List<String[]> out = new ArrayList<>();
            for (String f : frames) {
                Matcher m = EVENT.matcher(f);
                while (m.find()) {
                    if (!m.group(1).equals("status")) {
                        out.add(new String[]{m.group(1), m.group(2), m.group(3)});
                    }
                }
            }
            return out;
        }
    }

    private Collector connect(String subscribe) throws Exception {
        Collector c = new Collector();
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(emulator.url()), c).get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> c.has("\"connected\""));
        socket.sendText("{\"action\":\"auth\",\"params\":\"k\"}", true).get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> c.has("auth_success"));
        socket.sendText("{\"action\":\"subscribe\",\"params\":\"" + subscribe + "\"}", true).get(30, TimeUnit.SECONDS);
        return c;
    }

    private static long count(Collector c, String text) {
        return c.frames.stream().mapToLong(f -> f.split(Pattern.quote(text), -1).length - 1).sum();
    }

    @Test
    void noiAndLvAreAcknowledgedAndSilentUnknownTickersSilentUnknownPrefixesUnanswered() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(2_000).ackMode(AckMode.SINGLE).build().start();
        Collector c = connect("NOI.AAPL,LV.AAPL,XX.AAPL,T.ZZZZ,T.AAPL");
        await().atMost(PATIENCE).until(() -> c.events().size() > 200);
        emulator.pauseStreaming();
        assertThat(count(c, "subscribed to: ")).isEqualTo(4);
        for (String item : List.of("NOI.AAPL", "LV.AAPL", "T.ZZZZ", "T.AAPL")) {
            assertThat(c.has("subscribed to: " + item + "\"")).as(item).isTrue();
        }
        assertThat(c.has("XX.AAPL")).isFalse();
        assertThat(c.events()).allSatisfy(e -> assertThat(e[0] + "." + e[1]).isEqualTo("T.AAPL"));
        assertThat(emulator.sessions().get(0).subscriptions())
                .containsExactlyInAnyOrder("NOI.AAPL", "LV.AAPL", "T.ZZZZ", "T.AAPL");
    }

    @Test
    void onTheWallClockSecondBarsComeOncePerSecondPerTickerStampedNow() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(5_000).build().start();
        long before = System.currentTimeMillis();
        Collector c = connect("A.AAPL,A.MSFT,AM.AAPL");
        await().atMost(PATIENCE).until(() -> c.events().stream().filter(e -> e[1].equals("MSFT")).count() >= 3);
        emulator.pauseStreaming();
        long after = System.currentTimeMillis();
        Map<String, List<Long>> starts = new TreeMap<>();
        Pattern window = Pattern.compile("\"s\":(\\d+),\"e\":(\\d+)");
        for (String[] e : c.events()) {
            Matcher m = window.matcher(e[2]);
            assertThat(m.find()).isTrue();
            long s = Long.parseLong(m.group(1));
            long end = Long.parseLong(m.group(2));
            long length = e[0].equals("A") ? 1_000 : 60_000;
            assertThat(end - s).isEqualTo(length);
            assertThat(s % length).isZero();
            assertThat(s).isBetween(before - length, after);
            starts.computeIfAbsent(e[0] + "." + e[1], k -> new ArrayList<>()).add(s);
        }
        // one bar per window: strictly increasing window starts, one second apart at least
        for (List<Long> s : starts.values()) {
            for (int i = 1; i < s.size(); i++) {
                assertThat(s.get(i) - s.get(i - 1)).isGreaterThanOrEqualTo(1_000);
            }
        }
        assertThat(starts.get("AM.AAPL")).hasSizeLessThanOrEqualTo((int) ((after - before) / 60_000 + 2));
        long seconds = (after - before) / 1_000 + 2;
        assertThat(starts.get("A.MSFT").size()).isBetween(3, (int) seconds);
    }

    @Test
    void aReaderThatStopsReadingIsCutOffOnceItsBacklogPassesTheLimitNotThinned() throws Exception {
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(100_000).maxBacklogBytes(256 * 1024)
                .compression(false).sequenceJumps(false).build().start();
        StringBuilder params = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            params.append(i == 0 ? "" : ",").append("Q.TK").append(String.format("%04d", i));
        }
        Collector c = connect(params.toString());
        // 256 KB is ~20 ms of this stream: a reader that merely stalls that long (a GC pause, a busy
        // machine) is already cut off, which is the behaviour under test too, so either will do here
        try {
            await().atMost(PATIENCE).until(() -> c.events().size() > 1_000 || emulator.slowConsumerKills() == 1);
        } catch (org.awaitility.core.ConditionTimeoutException e) { // say what was seen (this wait once timed out)
            throw new AssertionError("after " + PATIENCE + ": " + c.events().size() + " events in " + c.frames.size()
                    + " frames, slow-consumer kills " + emulator.slowConsumerKills() + ", sessions "
                    + emulator.allSessions().size() + ", client closed " + c.closed, e);
        }
        c.reading.set(false); // stop reading: the server's backlog for this socket grows
        await().atMost(Duration.ofSeconds(60)).until(() -> emulator.slowConsumerKills() == 1);
        EmulatorSession session = emulator.allSessions().get(0);
        assertThat(session.isOpen()).isFalse();
        assertThat(session.closeReason()).startsWith("slow consumer");
        // everything that was read before is a gap-free prefix of each ticker's stream
        assertGapFree(c);
    }

    @Test
    void atFullSpeedTheEmulatorWaitsForASlowReaderInsteadOfCuttingItOff() throws Exception {
        int limit = 256 * 1024;
        emulator = MassiveEmulator.builder().apiKeys("k").eventsPerSecond(0).maxBacklogBytes(limit)
                .compression(false).sequenceJumps(false).build().start();
        StringBuilder params = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            params.append(i == 0 ? "" : ",").append("Q.TK").append(String.format("%04d", i));
        }
        Collector c = connect(params.toString());
        await().atMost(PATIENCE).until(() -> c.events().size() > 1_000);
        c.reading.set(false); // stop reading: the backlog reaches the limit and the emulator must wait
        EmulatorSession session = emulator.allSessions().get(0);
        await().atMost(PATIENCE).until(() -> session.pendingOutboundBytes() >= limit / 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> emulator.slowConsumerKills() == 0 && session.isOpen());
        int before = c.events().size();
        c.reading.set(true);
        socket.request(1);
        await().atMost(PATIENCE).until(() -> c.events().size() > before + 10_000);
        assertThat(emulator.slowConsumerKills()).isZero();
        assertThat(session.isOpen()).isTrue();
        // nothing was thinned while it waited: every ticker's stream is gap-free
        assertGapFree(c);
    }

    /** Each ticker's events, in the order read, carry consecutive {@code q} (sequence jumps are off). */
    private static void assertGapFree(Collector c) {
        Map<String, Long> last = new TreeMap<>();
        Pattern q = Pattern.compile("\"q\":(\\d+)");
        for (String[] e : c.events()) {
            Matcher m = q.matcher(e[2]);
            assertThat(m.find()).isTrue();
            long seq = Long.parseLong(m.group(1));
            Long prev = last.put(e[1], seq);
            if (prev != null) {
                assertThat(seq).as(e[1]).isEqualTo(prev + 1);
            }
        }
    }
}
