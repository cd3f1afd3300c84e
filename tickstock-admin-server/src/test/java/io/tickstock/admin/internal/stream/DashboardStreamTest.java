package io.tickstock.admin.internal.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickstock.admin.internal.metrics.ThroughputTracker;
import io.tickstock.admin.support.FakeGateway;
import io.tickstock.core.event.BasicTick;
import io.tickstock.core.event.EventType;
import org.junit.jupiter.api.Test;

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

        @Override
        public void send(String text, Consumer<Throwable> done) {
            sent.add(text);
            pending.add(done);
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
