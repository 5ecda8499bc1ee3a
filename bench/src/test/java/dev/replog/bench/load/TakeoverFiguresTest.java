package dev.replog.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the takeover benchmark reads its writers' acknowledgements, and how it finds its messages in a log. */
class TakeoverFiguresTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    @Test
    void theWindowRunsFromTheLastAckOfTheKilledNodeToTheFirstAckOfAnother() {
        // node 0 acks until 10.0 s, is killed at 10.05 s; node 1 acks from 12.0 s
        long[] times = {9 * S, 10 * S, 12 * S, 12 * S + 500 * MS, 13 * S + 100 * MS};
        byte[] nodes = {0, 0, 1, 1, 1};

        TakeoverFigures f = TakeoverFigures.of(times, nodes, 0, 10 * S + 50 * MS, 2 * S, 3);

        assertThat(f.tookOver()).isTrue();
        assertThat(f.windowMillis()).isEqualTo(2000.0);
        assertThat(f.firstAfterNanos()).isEqualTo(12 * S);
        assertThat(f.perSecond()).containsExactly(2, 1, 0);
        assertThat(f.steadyPerSecond()).isEqualTo(1.0);
    }

    @Test
    void anAnswerOfTheKilledNodeStampedAfterTheKillStillCountsAsBefore() {
        long[] times = {10 * S, 10 * S + 2 * MS, 11 * S};
        byte[] nodes = {0, 0, 1};

        TakeoverFigures f = TakeoverFigures.of(times, nodes, 0, 10 * S + MS, S, 5);

        assertThat(f.windowMillis()).isEqualTo(998.0);
    }

    @Test
    void noAckFromAnotherNodeMeansNoTakeover() {
        TakeoverFigures f = TakeoverFigures.of(new long[] {S, 2 * S}, new byte[] {0, 0}, 0, 3 * S, S, 5);

        assertThat(f.tookOver()).isFalse();
        assertThat(f.secondsTo(0.8)).isEqualTo(-1);
    }

    @Test
    void sharesOfTheSteadyRateAndTheSecondItsEightyPercentIsReached() {
        // steady: 10 acks in the 1 s before the kill at 10 s; after: 2, 5, 9, 10 acks per second
        long[] times = new long[10 + 26];
        byte[] nodes = new byte[times.length];
        int i = 0;
        for (int k = 0; k < 10; k++) {
            times[i++] = 9 * S + 50 * MS + k * 100 * MS;
        }
        int[] after = {2, 5, 9, 10};
        for (int second = 0; second < after.length; second++) {
            for (int k = 0; k < after[second]; k++) {
                nodes[i] = 1;
                times[i++] = 11 * S + second * S + k * 10 * MS;
            }
        }

        TakeoverFigures f = TakeoverFigures.of(times, nodes, 0, 10 * S, S, 4);

        assertThat(f.perSecond()).containsExactly(2, 5, 9, 10);
        assertThat(f.secondsTo(0.8)).isEqualTo(3);
        assertThat(f.shareOfSteady(0, 2)).isEqualTo(0.35);
        assertThat(f.shareOfSteady(0, 5)).isNaN();
    }

    @Test
    void aMessageNamesItsRunWriterAndNumber() {
        FailoverWriters writers = new FailoverWriters(List.of(java.net.URI.create("http://127.0.0.1:1")), 2, "2",
                100, 100, "tkabc");

        assertThat(writers.message(3, 41)).startsWith("tkabc-3-41-x").hasSize(100);
        assertThat(writers.parse(writers.message(3, 41))).containsExactly(3, 41);
        assertThat(writers.parse("tkabd-3-41-xx")).isNull();
        assertThat(writers.parse("tkabc-3-")).isNull();
        assertThat(writers.parse("something else")).isNull();
    }

    @Test
    void answersAreReadWithoutAJsonParser() {
        assertThat(FailoverWriters.seqOf("{\"seq\":1234,\"id\":99,\"w\":2,\"acks\":2}")).isEqualTo(1234);
        assertThat(FailoverWriters.seqOf("{\"seq\": 7}")).isEqualTo(7);
        assertThat(FailoverWriters.seqOf("{}")).isZero();
        assertThat(FailoverWriters.titleOf("{\"type\":\"about:blank\",\"title\":\"No master\",\"status\":503}"))
                .isEqualTo("No master");
        assertThat(FailoverWriters.titleOf("{}")).isEmpty();
    }
}
