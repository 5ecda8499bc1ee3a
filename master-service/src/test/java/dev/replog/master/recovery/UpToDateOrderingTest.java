package dev.replog.master.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.ReplicationStatus;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order in which recovery ranks the fenced secondaries' logs: the epoch of the last entry,
 * then the length; the longest when a log's last entry carries no known epoch (records written
 * before every record carried the epoch that wrote it).
 */
class UpToDateOrderingTest {

    private static ReplicationStatus log(String name, long ackedSeq, long lastEpoch) {
        return new ReplicationStatus(name, ackedSeq, ackedSeq, 9, lastEpoch);
    }

    @Test
    void theLastEntrysEpochComesBeforeTheLength() {
        List<ReplicationStatus> candidates = List.of(log("long-old", 7, 1), log("short-new", 6, 2), log("empty", 0, 0));
        assertThat(Collections.max(candidates, Recovery.ordering(candidates)).name()).isEqualTo("short-new");
    }

    @Test
    void ofTwoLogsWhoseLastEntriesOneEpochWroteTheLongerWins() {
        List<ReplicationStatus> candidates = List.of(log("a", 5, 3), log("b", 8, 3));
        assertThat(Collections.max(candidates, Recovery.ordering(candidates)).name()).isEqualTo("b");
    }

    @Test
    void aLastEntryOfUnknownEpochFallsBackToTheLongestLog() {
        List<ReplicationStatus> candidates = List.of(log("legacy", 10, 0), log("shorter", 8, 1));
        assertThat(Collections.max(candidates, Recovery.ordering(candidates)).name()).isEqualTo("legacy");
    }
}
