package io.tickstock.feed.massive.internal;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.tickstock.core.event.EventType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscriptionLedgerTest {
    private final SubscriptionLedger ledger = new SubscriptionLedger(ImmediateEventExecutor.INSTANCE,
            List.of(EventType.T, EventType.Q));

    @Test
    void aSubscribeCompletesOnlyWhenEveryParamIsAcknowledged() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        assertThat(ledger.add(List.of("AAPL", "MSFT"), f)).containsExactly("T.AAPL", "T.MSFT", "Q.AAPL", "Q.MSFT");
        assertThat(ledger.snapshot()).isEqualTo(Set.of("AAPL", "MSFT"));
        ledger.subscribed("T.AAPL");
        ledger.subscribed("T.MSFT");
        ledger.subscribed("Q.AAPL");
        assertThat(f).isNotDone();
        ledger.subscribed("Q.MSFT");
        assertThat(f).isCompleted();
    }

    @Test
    void subscribeThenUnsubscribeLeavesNothingAndCompletesBoth() {
        CompletableFuture<Void> sub = new CompletableFuture<>();
        CompletableFuture<Void> unsub = new CompletableFuture<>();
        ledger.add(List.of("AAPL"), sub);
        assertThat(ledger.remove(List.of("AAPL"), unsub, true)).containsExactly("T.AAPL", "Q.AAPL");
        assertThat(sub).isCompleted(); // no longer wanted
        assertThat(ledger.snapshot()).isEmpty();
        assertThat(ledger.replay()).isEmpty();
        ledger.unsubscribed("T.AAPL");
        ledger.unsubscribed("Q.AAPL");
        assertThat(unsub).isCompleted();
    }

    @Test
    void offlineUnsubscribeCompletesAtOnceAndSendsNothing() {
        ledger.add(List.of("AAPL", "TSLA"), new CompletableFuture<>());
        CompletableFuture<Void> unsub = new CompletableFuture<>();
        assertThat(ledger.remove(List.of("AAPL"), unsub, false)).isEmpty();
        assertThat(unsub).isCompleted();
        assertThat(ledger.replay()).containsExactly("T.TSLA", "Q.TSLA");
    }

    @Test
    void aLostSessionKeepsSubscribesWaitingForTheReplayAndEndsUnsubscribes() {
        CompletableFuture<Void> sub = new CompletableFuture<>();
        CompletableFuture<Void> unsub = new CompletableFuture<>();
        ledger.add(List.of("AAPL"), sub);
        ledger.add(List.of("TSLA"), new CompletableFuture<>());
        ledger.remove(List.of("TSLA"), unsub, true);
        ledger.sessionEnded();
        assertThat(unsub).isCompleted();
        assertThat(sub).isNotDone();
        assertThat(ledger.replay()).containsExactly("T.AAPL", "Q.AAPL");
        ledger.subscribed("T.AAPL");
        ledger.subscribed("Q.AAPL");
        assertThat(sub).isCompleted();
    }

    @Test
    void stoppingFailsEveryWaitingSubscribeButKeepsTheSet() {
        CompletableFuture<Void> sub = new CompletableFuture<>();
        ledger.add(List.of("AAPL"), sub);
        ledger.stopped(new CancellationException("disconnected"));
        assertThat(sub).isCompletedExceptionally();
        assertThatThrownBy(sub::join).isInstanceOf(CancellationException.class).hasMessage("disconnected");
        assertThat(ledger.snapshot()).containsExactly("AAPL"); // replayed by the next connect
    }

    @Test
    void changesOffTheEventLoopAreRefused() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            SubscriptionLedger owned = new SubscriptionLedger(loop, List.of(EventType.T));
            assertThatThrownBy(() -> owned.add(List.of("AAPL"), new CompletableFuture<>()))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(loop.submit(() -> owned.add(List.of("AAPL"), new CompletableFuture<>())).get(5, TimeUnit.SECONDS))
                    .containsExactly("T.AAPL");
            assertThat(owned.snapshot()).containsExactly("AAPL");
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
