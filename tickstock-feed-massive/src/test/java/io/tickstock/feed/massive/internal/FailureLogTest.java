package io.tickstock.feed.massive.internal;

import org.junit.jupiter.api.Test;
import org.slf4j.event.EventRecordingLogger;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

import java.util.ArrayDeque;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;

class FailureLogTest {
    private final Queue<SubstituteLoggingEvent> logged = new ArrayDeque<>();
    private final FailureLog failures = new FailureLog(
            new EventRecordingLogger(new SubstituteLogger("test", logged, false), logged), "connection_1");

    private static RuntimeException bugA() {
        return new IllegalStateException("a");
    }

    private static RuntimeException bugB() {
        return new IllegalStateException("b");
    }

    @Test
    void theFirstOfEachKindIsLoggedWithItsStackAndEveryOneIsCounted() {
        for (int i = 0; i < 1_000; i++) {
            failures.report("decoding", bugA());
        }
        failures.report("decoding", bugB()); // same class, thrown elsewhere: another kind
        assertThat(failures.count()).isEqualTo(1_001);
        assertThat(logged).hasSize(2).allSatisfy(e -> assertThat(e.getThrowable()).isNotNull());
        assertThat(logged).extracting(e -> e.getThrowable().getMessage()).containsExactly("a", "b");
    }
}
