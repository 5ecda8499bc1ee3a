package dev.replog.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** How {@code bin/bench producer} sums up and prints its phases. */
class PhaseFiguresTest {

    @Test
    void aPhaseCountsMessagesPerSecondAndTakesPercentilesInMilliseconds() {
        Histogram micros = new Histogram(60_000_000L, 3);
        for (int i = 1; i <= 100; i++) {
            micros.recordValue(i * 100L); // 0.1 ms .. 10 ms
        }

        PhaseFigures figures = PhaseFigures.of("batch", "one request", 4, Duration.ofSeconds(2), micros, 10, 1, "503");

        assertThat(figures.operations()).isEqualTo(100);
        assertThat(figures.messagesPerSecond()).isEqualTo(500.0); // 100 requests of 10 in 2 s
        assertThat(figures.p50Ms()).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(figures.p99Ms()).isCloseTo(9.9, org.assertj.core.data.Offset.offset(0.01));
        assertThat(figures.maxMs()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void theTablePutsThePhasesSideBySideAndTheirFirstErrorsBelow() {
        List<PhaseFigures> phases = List.of(
                new PhaseFigures("producer w=3", "a message: send to its seq", 64, 10, 1_234_567, 123_456.7, 0, 2.5,
                        7.25, 9.0, 12.0, null),
                new PhaseFigures("lone append w=3", "an append", 1, 10, 4_000, 400.0, 2, 2.0, 3.5, 4.0, 5.0,
                        "504 Write concern timeout"));

        String table = PhaseFigures.table(phases);

        assertThat(table.lines()).containsExactly(
                "phase                  callers     msgs/s   p50 ms   p99 ms  p999 ms   max ms  errors  latency of",
                "producer w=3                64     123457     2.50     7.25     9.00    12.00       0  "
                        + "a message: send to its seq",
                "lone append w=3              1        400     2.00     3.50     4.00     5.00       2  an append",
                "  lone append w=3, first error: 504 Write concern timeout");
    }
}
