package io.tickstock.redis.node;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RendezvousTest {
    private static final List<String> TICKERS = IntStream.range(0, 3000).mapToObj(i -> "T" + i).toList();

    @Test
    void everyNodeComputesTheSameOwnerWhateverTheOrderOfTheMemberList() {
        for (String t : TICKERS.subList(0, 200)) {
            assertThat(Rendezvous.owner(t, List.of("a", "b", "c"))).isEqualTo(Rendezvous.owner(t, List.of("c", "a", "b")));
        }
    }

    @Test
    void aJoiningNodeTakesAboutItsShareAndNothingMovesBetweenTheOthers() {
        Map<String, String> before = owners(List.of("a", "b"));
        Map<String, String> after = owners(List.of("a", "b", "c"));
        long moved = TICKERS.stream().filter(t -> !before.get(t).equals(after.get(t))).count();
        assertThat(TICKERS.stream().filter(t -> !before.get(t).equals(after.get(t))))
                .allSatisfy(t -> assertThat(after.get(t)).isEqualTo("c"));
        assertThat(moved).isBetween(800L, 1200L); // about a third of 3000
    }

    @Test
    void aLeavingNodesTickersAreSpreadOverTheRestAndNoOtherMoves() {
        Map<String, String> before = owners(List.of("a", "b", "c"));
        Map<String, String> after = owners(List.of("a", "c"));
        assertThat(TICKERS.stream().filter(t -> !before.get(t).equals("b")))
                .allSatisfy(t -> assertThat(after.get(t)).isEqualTo(before.get(t)));
        Map<String, Long> counts = TICKERS.stream().collect(Collectors.groupingBy(after::get, Collectors.counting()));
        assertThat(counts.get("a")).isBetween(1300L, 1700L);
    }

    private static Map<String, String> owners(List<String> nodes) {
        return TICKERS.stream().collect(Collectors.toMap(t -> t, t -> Rendezvous.owner(t, nodes)));
    }
}
