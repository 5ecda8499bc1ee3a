package dev.replog.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.bench.load.CompareTable.Run;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code bin/bench-compare}'s table reads one round and several. */
class CompareTableTest {

    @Test
    void oneRoundShowsTheRunsAndTheirPlainQuotients() {
        List<Run> runs = List.of(
                run("replog", 1, "3", 64, 12459, 12.6),
                run("redis-always", 1, "3", 64, 18872, 9.0),
                run("etcd", 1, "2", 64, 5473, 25.4));

        String table = CompareTable.markdown(runs);

        assertThat(table).doesNotContain("rounds:")
                .contains("| 3 | 64 | 12459 | 1.0 / 12.6 | 18872 | 1.0 / 9.0 | 5473 | 1.0 / 25.4 | 0.66x | 2.28x |")
                .contains("| w=3, 64 clients: replog >= 2x Redis (appendfsync always, SET+WAIT 2) "
                        + "| 12459 vs 18872 ops/s = 0.66x | no |")
                .contains("| w=3, 64 clients: replog >= 3x etcd put | 12459 vs 5473 ops/s = 2.28x | no |");
    }

    @Test
    void severalRoundsShowTheMedianRunAndTheMedianOfTheRoundsRatios() {
        // round 2 is a dip of Redis, round 1 one of replog's: the ratio of the medians (11 vs 15)
        // would say 0.73x; the rounds themselves say 2.5x, 0.28x and 2.0x
        List<Run> runs = List.of(
                run("replog", 1, "3", 64, 10_000, 9.0),
                run("redis-always", 1, "3", 64, 4_000, 5.0),
                run("replog", 2, "3", 64, 11_000, 8.0),
                run("redis-always", 2, "3", 64, 40_000, 3.0),
                run("replog", 3, "3", 64, 30_000, 7.0),
                run("redis-always", 3, "3", 64, 15_000, 4.0));

        String table = CompareTable.markdown(runs);

        assertThat(table).startsWith("3 rounds:")
                .contains("| 3 | 64 | 11000 | 1.0 / 8.0 | 15000 | 1.0 / 4.0 | - | - | 2.00x (0.28-2.50) | - |")
                .contains("| 11000 vs 15000 ops/s = 2.00x (0.28-2.50) | yes |");
    }

    @Test
    void aRatioPairsOnlyRunsOfTheSameRound() {
        List<Run> ours = List.of(run("replog", 1, "1", 16, 900, 1), run("replog", 2, "1", 16, 1_000, 1));
        List<Run> theirs = List.of(run("redis-everysec", 2, "1", 16, 4_000, 1), run("redis-everysec", 3, "1", 16, 10, 1));

        assertThat(CompareTable.ratio(ours, theirs)).hasValueSatisfying(ratio -> {
            assertThat(ratio.rounds()).isEqualTo(1);
            assertThat(ratio.median()).isEqualTo(0.25);
        });
        assertThat(CompareTable.ratio(ours, List.of())).isEmpty();
    }

    @Test
    void theP99GoalTakesTheMedianOfTheRoundsP99() {
        List<Run> runs = new ArrayList<>();
        runs.add(run("replog", 1, "3", 16, 6_000, 30.0)); // one bad round does not fail the goal
        runs.add(run("replog", 2, "3", 16, 8_000, 7.5));
        runs.add(run("replog", 3, "3", 16, 7_000, 6.0));

        assertThat(CompareTable.markdown(runs)).contains("| p99 at 16 clients, w=3 <= 10 ms | 7.50 ms | yes |");
    }

    @Test
    void theRoundComesFromTheLabel() {
        assertThat(CompareTable.median(CompareTable.cell(List.of(
                run("replog", 1, "2", 16, 1, 1), run("replog", 2, "2", 16, 3, 1), run("replog", 3, "2", 16, 2, 1)),
                "replog", "2", 16))).map(Run::round).hasValue(3);
    }

    @Test
    void theStackCeilingRowsShowReplogsW3AsAShareOfAFixedAnswer() {
        List<Run> runs = List.of(
                run("replog", 1, "3", 64, 12_000, 12.0),
                run("ceiling", 1, "3", 64, 80_000, 2.0),
                run("replog", 2, "3", 64, 18_000, 11.0),
                run("ceiling", 2, "3", 64, 90_000, 2.5),
                run("replog", 1, "3", 16, 6_000, 8.0));

        String table = CompareTable.markdown(runs);

        assertThat(table)
                .contains("| stack ceiling: Reactor Netty, a fixed 201 | ceiling ops/s | p50 / p99 ms | replog w=3 ops/s "
                        + "| replog w=3 / ceiling |")
                .contains("| 64 clients | 80000 | 1.0 / 2.0 | 12000 | 0.15x (0.15-0.20) |")
                .doesNotContain("| 16 clients |") // no ceiling run at 16
                // the ceiling ignores w: it adds no row of its own to the comparison
                .contains("| 3 | 64 | 12000 | 1.0 / 12.0 | - | - | - | - | - | - |");
        assertThat(table.lines().filter(line -> line.startsWith("| 3 | 64 |"))).hasSize(1);
    }

    @Test
    void withoutACeilingRunThereAreNoCeilingRows() {
        assertThat(CompareTable.markdown(List.of(run("replog", 1, "3", 64, 12_000, 12.0))))
                .doesNotContain("stack ceiling");
    }

    private static Run run(String system, int round, String w, int clients, double ops, double p99) {
        return new Run(system, round, w, clients, 1, ops, ops, 1.0, p99, p99, 0);
    }
}
