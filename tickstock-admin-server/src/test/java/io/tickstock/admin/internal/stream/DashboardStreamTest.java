package io.tickstock.admin.internal.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.admin.internal.metrics.ThroughputTracker;
import io.tickstock.admin.support.FakeGateway;
import io.tickstock.core.event.BasicTick;
import io.tickstock.core.event.EventType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The flush rounds driven by hand, with browsers whose writes complete only when the test says so. */
class DashboardStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An outbound whose sends stay pending until {@link #complete()}. */
    static final class ManualOutbound implements Outbound {
        final List<String> sent = new ArrayList<>();
        final List<Consumer<Throwable>> pending = new ArrayList<>();

        /** The shared tick frames, as handed over (not copies). */
        final List<ByteBuffer> tickBuffers = new ArrayList<>();

        @Override
        public void send(String text, Consumer<Throwable> done) {
            sent.add(text);
            pending.add(done);
        }

        @Override
        public void sendUtf8(ByteBuffer utf8, Consumer<Throwable> done) {
            tickBuffers.add(utf8);
            send(StandardCharsets.UTF_8.decode(utf8.slice()).toString(), done);
        }

        Integer closedWith;

        @Override
        public boolean isOpen() {
            return closedWith == null;
        }

        @Override
        public void close(int code, String reason) {
            closedWith = code;
        }

        void complete() {
            List<Consumer<Throwable>> now = new ArrayList<>(pending);
            pending.clear();
            now.forEach(d -> d.accept(null));
        }

        List<JsonNode> tickFrames() throws Exception {
            List<JsonNode> out = new ArrayList<>();
            for (String s : sent) {
                JsonNode n = JSON.readTree(s);
                if (n.get("event").asText().equals("tick_update")) {
                    out.add(n.get("data"));
                }
            }
            return out;
        }
    }

    private final FakeGateway gateway = new FakeGateway();
    private final DashboardStream stream = new DashboardStream(gateway, gateway,
            new ThroughputTracker(Duration.ofSeconds(5), System::nanoTime), 100, 2, Duration.ofMillis(50),
            Duration.ofSeconds(1), Clock.systemUTC());

    private void tick(String symbol, double price) {
        stream.coalescer().offer(new BasicTick(symbol, price, 1, 0, EventType.T, "connection_1", "test"));
    }

    @Test
    void theCoalescerIsRegisteredAsItselfSoTheManagerKeepsItsSlotPerTicker() {
        stream.start();
        try {
            assertThat(gateway.tickSinks()).singleElement().isSameAs(stream.coalescer())
                    .isInstanceOf(io.tickstock.core.bus.SymbolStateSink.class);
        } finally {
            stream.close();
        }
    }

    @Test
    void aBusyBrowserIsSkippedAndLaterGetsOnlyTheLatestPricesWhileAnotherIsServedEveryRound() throws Exception {
        ManualOutbound slow = new ManualOutbound();
        ManualOutbound fast = new ManualOutbound();
        stream.register(new DashboardSession("slow", "a", "127.0.0.1", slow, 0));
        stream.register(new DashboardSession("fast", "b", "127.0.0.1", fast, 0));

        tick("AAPL", 1);
        stream.flush();
        fast.complete();
        assertThat(slow.tickFrames()).hasSize(1); // hello frames plus the first ticks, now in flight

        for (int round = 2; round <= 5; round++) {
            tick("AAPL", round);
            tick("MSFT", round);
            stream.flush();
            fast.complete();
        }
        assertThat(fast.tickFrames()).hasSize(5);
        assertThat(slow.tickFrames()).hasSize(1);
        assertThat(stream.session("slow").deferredRounds()).isEqualTo(4);
        assertThat(stream.session("fast").deferredRounds()).isZero();

        slow.complete();
        stream.flush(); // nothing new arrived: the slow browser catches up with what it missed, latest only
        JsonNode catchUp = slow.tickFrames().get(1);
        assertThat(catchUp).hasSize(2);
        assertThat(catchUp.findValuesAsText("symbol")).containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(catchUp.findValues("price")).extracting(JsonNode::asDouble).containsOnly(5.0);
    }

    private ManualOutbound[] browsers(int n) {
        ManualOutbound[] outs = new ManualOutbound[n];
        for (int i = 0; i < n; i++) {
            outs[i] = new ManualOutbound();
            stream.register(new DashboardSession("s" + i, "a", "127.0.0.1", outs[i], 0));
        }
        stream.flush(); // hellos; nothing to snapshot yet, so every browser starts in step
        completeAll(outs);
        return outs;
    }

    private static void completeAll(ManualOutbound... outs) {
        for (ManualOutbound o : outs) {
            o.complete();
        }
    }

    private static List<String> symbols(JsonNode frame) {
        return frame.findValuesAsText("symbol");
    }

    @Test
    void browsersInStepGetTheSameBytesSerialisedOncePerFrameThroughABacklog() throws Exception {
        ManualOutbound[] outs = browsers(5);
        for (String sym : List.of("A", "B", "C", "D", "E")) {
            tick(sym, 1); // five changed, two per frame: three rounds of shared frames
        }
        for (int round = 0; round < 4; round++) {
            stream.flush();
            completeAll(outs);
        }

        assertThat(stream.tickFramesBuilt()).isEqualTo(3);
        assertThat(stream.health().get("tick_frames_built")).isEqualTo(3L);
        for (ManualOutbound o : outs) {
            assertThat(o.tickBuffers).hasSize(3);
            for (int f = 0; f < 3; f++) {
                assertThat(o.tickBuffers.get(f)).isSameAs(outs[0].tickBuffers.get(f));
            }
            assertThat(o.tickFrames()).extracting(DashboardStreamTest::symbols)
                    .containsExactly(List.of("A", "B"), List.of("C", "D"), List.of("E"));
        }
        // a session reads the shared bytes through its own view: the buffer handed over is untouched
        assertThat(outs[0].tickBuffers.get(0).position()).isZero();
        assertThat(outs[0].tickBuffers.get(0).isReadOnly()).isTrue();
    }

    @Test
    void aBrowserBusyDuringABacklogCatchesUpOnItsOwnWhileTheOthersKeepSharing() throws Exception {
        ManualOutbound[] outs = browsers(3);
        ManualOutbound slow = outs[0];
        ManualOutbound[] others = {outs[1], outs[2]};
        for (String sym : List.of("A", "B", "C", "D", "E")) {
            tick(sym, 1);
        }
        stream.flush(); // [A,B] to all three, shared
        completeAll(others);
        tick("A", 2);
        stream.flush(); // slow is busy: it takes over the backlog (C,D,E, and A's new price); the others get [C,D]
        completeAll(outs);
        stream.flush(); // slow: its own [C,D]; the others: [E,A]
        completeAll(outs);
        stream.flush(); // slow: its own [E,A]; then it is in step again
        completeAll(outs);
        stream.flush();
        completeAll(outs);

        assertThat(stream.tickFramesBuilt()).isEqualTo(5); // three shared, two of the slow browser's own
        for (ManualOutbound o : others) {
            assertThat(o.tickFrames()).extracting(DashboardStreamTest::symbols)
                    .containsExactly(List.of("A", "B"), List.of("C", "D"), List.of("E", "A"));
            for (int f = 0; f < 3; f++) {
                assertThat(o.tickBuffers.get(f)).isSameAs(outs[1].tickBuffers.get(f));
            }
        }
        assertThat(slow.tickFrames()).extracting(DashboardStreamTest::symbols)
                .containsExactly(List.of("A", "B"), List.of("C", "D"), List.of("E", "A"));
        assertThat(slow.tickBuffers.get(0)).isSameAs(outs[1].tickBuffers.get(0));
        assertThat(slow.tickFrames().get(2).get(1).get("price").asDouble()).isEqualTo(2.0);
        assertThat(stream.session("s0").deferredRounds()).isEqualTo(1);

        tick("F", 1); // back in step: the next frame is shared by all three again
        stream.flush();
        assertThat(slow.tickBuffers.get(3)).isSameAs(outs[1].tickBuffers.get(3)).isSameAs(outs[2].tickBuffers.get(3));
        assertThat(stream.tickFramesBuilt()).isEqualTo(6);
    }

    @Test
    void framesCarryAtMostTheConfiguredNumberOfTicksAndTheRestFollows() throws Exception {
        ManualOutbound out = new ManualOutbound();
        stream.register(new DashboardSession("s", "a", "127.0.0.1", out, 0));
        tick("A", 1);
        tick("B", 1);
        tick("C", 1);
        stream.flush();
        out.complete();
        stream.flush();
        out.complete();
        List<JsonNode> frames = out.tickFrames();
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).hasSize(2);
        assertThat(frames.get(1)).hasSize(1);
    }

    @Test
    void aPausedBrowserGetsNoTicksAndOnResumeTheLatestOfEverySymbol() throws Exception {
        ManualOutbound out = new ManualOutbound();
        DashboardSession s = new DashboardSession("s", "a", "127.0.0.1", out, 0);
        stream.register(s);
        stream.flush();
        out.complete();
        s.pause();
        tick("A", 1);
        tick("A", 2);
        stream.flush();
        out.complete();
        assertThat(out.tickFrames()).isEmpty();
        assertThat(out.sent).anyMatch(f -> f.contains("\"stream_state\"") && f.contains("\"paused\":true"));
        s.resume();
        stream.flush();
        out.complete();
        assertThat(out.tickFrames()).hasSize(1);
        assertThat(out.tickFrames().get(0).get(0).get("price").asDouble()).isEqualTo(2.0);
    }

    @Test
    void controlFramesAreDroppedAndCountedOnceTooManyAreQueued() {
        ManualOutbound out = new ManualOutbound();
        DashboardSession s = new DashboardSession("s", "a", "127.0.0.1", out, 0);
        for (int i = 0; i < DashboardSession.MAX_OUTSTANDING + 3; i++) {
            s.sendControl("{}");
        }
        assertThat(out.sent).hasSize(DashboardSession.MAX_OUTSTANDING);
        assertThat(s.droppedFrames()).isEqualTo(3);
        out.complete();
        assertThat(s.sendControl("{}")).isTrue();
    }

    @Test
    void socketsWhoseLoginEndedAreClosedAndOthersKept() {
        io.tickstock.admin.support.TestClock clock = new io.tickstock.admin.support.TestClock();
        io.tickstock.admin.internal.auth.SessionStore logins = new io.tickstock.admin.internal.auth.SessionStore(Duration.ofMinutes(10), 10, clock);
        String loggedOut = logins.create(new io.tickstock.admin.internal.auth.Principal("a", io.tickstock.admin.internal.auth.Role.ADMIN));
        String idle = logins.create(new io.tickstock.admin.internal.auth.Principal("b", io.tickstock.admin.internal.auth.Role.ADMIN));
        ManualOutbound first = new ManualOutbound();
        ManualOutbound second = new ManualOutbound();
        ManualOutbound basic = new ManualOutbound();
        stream.register(new DashboardSession("s1", "a", "127.0.0.1", first, 0, () -> logins.active(loggedOut)));
        stream.register(new DashboardSession("s2", "b", "127.0.0.1", second, 0, () -> logins.active(idle)));
        stream.register(new DashboardSession("s3", "c", "127.0.0.1", basic, 0));

        stream.revalidate();
        assertThat(stream.sessionCount()).isEqualTo(3);
        logins.invalidate(loggedOut);
        stream.revalidate();
        assertThat(first.closedWith).isEqualTo(DashboardStream.SESSION_ENDED);
        assertThat(stream.sessionIds()).containsExactlyInAnyOrder("s2", "s3");

        clock.advance(Duration.ofMinutes(10));
        stream.revalidate();
        assertThat(second.closedWith).isNull(); // idle exactly the timeout: still valid
        clock.advance(Duration.ofSeconds(1));
        stream.revalidate();
        assertThat(second.closedWith).isEqualTo(DashboardStream.SESSION_ENDED);
        assertThat(basic.closedWith).isNull();
        assertThat(stream.sessionIds()).containsExactly("s3");
        assertThat(stream.health().get("ended_sessions_closed")).isEqualTo(2L);
    }
}
