package dev.replog.master.datadir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.log.FileLogStore;
import dev.replog.common.protocol.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether the master's data dir holds state of its own: a log with records does, unless a
 * recovery from no state has not completed since (a restart in the middle of it finds the records
 * it fetched, which prove nothing) or another master has led since; a log directory without
 * records (its segments deleted, the lock file left) or an epoch counter alone does not. And the
 * epochs it took.
 */
class DataDirStateTest {

    @TempDir
    Path dataDir;

    /** What the master does at start: open the log store, then look at the data dir. */
    private DataDirState inspect(Path dir) {
        try (FileLogStore store = FileLogStore.open(dir.resolve("log"))) {
            return DataDirState.inspect(dir, store.lastSeq());
        }
    }

    private void appendRecords(Path dir, int count) {
        try (FileLogStore store = FileLogStore.open(dir.resolve("log"))) {
            List<Entry> entries = new ArrayList<>();
            for (long seq = store.lastSeq() + 1; entries.size() < count; seq++) {
                entries.add(new Entry(seq, seq, "m" + seq));
            }
            store.append(entries).join();
        }
    }

    @Test
    void anEmptyDataDirHasNoStateAcrossRestartsUntilItsRecoveryCompleted() {
        DataDirState first = inspect(dataDir);
        assertThat(first.hadState()).isFalse();
        appendRecords(dataDir, 3); // what its recovery fetches from the secondaries

        assertThat(inspect(dataDir).hadState()).as("restarted before its recovery completed").isFalse();

        first.recovered();
        assertThat(inspect(dataDir).hadState()).as("restarted after its recovery completed").isTrue();
    }

    @Test
    void aLogWithRecordsIsStateAndLeavesNoMarker() {
        appendRecords(dataDir, 1);
        assertThat(inspect(dataDir).hadState()).isTrue();
        assertThat(dataDir.resolve(DataDirState.RECOVERY_PENDING)).doesNotExist();
    }

    @Test
    void aLogDirectoryWhoseSegmentsWereDeletedIsNoState() throws IOException {
        appendRecords(dataDir, 5);
        try (Stream<Path> files = Files.list(dataDir.resolve("log"))) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().startsWith(".")) {
                    Files.delete(file); // the segments; the lock file stays
                }
            }
        }
        assertThat(dataDir.resolve("log")).isNotEmptyDirectory();

        assertThat(inspect(dataDir).hadState()).as("a log directory with only its lock file").isFalse();
        assertThat(dataDir.resolve(DataDirState.RECOVERY_PENDING)).exists();
    }

    @Test
    void anEpochCounterAloneIsNoState() throws IOException {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("epoch"), "3\n");
        assertThat(inspect(dataDir).hadState()).isFalse();
    }

    @Test
    void aMissingDataDirIsCreatedWithTheMarker() {
        Path missing = dataDir.resolve("not-yet");
        assertThat(DataDirState.inspect(missing, 0).hadState()).isFalse();
        assertThat(missing.resolve(DataDirState.RECOVERY_PENDING)).exists();
    }

    @Test
    void epochsTakenAreKeptAcrossRestartsAndTheLocalCounterCounts() throws IOException {
        appendRecords(dataDir, 1);
        assertThat(inspect(dataDir).takenEpoch()).as("nothing taken yet").isZero();
        Files.writeString(dataDir.resolve("epoch"), "4\n"); // the local epoch counter of an older master
        DataDirState state = inspect(dataDir);
        assertThat(state.takenEpoch()).isEqualTo(4);

        state.tookEpoch(9);
        state.tookEpoch(7); // never goes back
        assertThat(state.takenEpoch()).isEqualTo(9);
        assertThat(inspect(dataDir).takenEpoch()).as("after a restart").isEqualTo(9);
    }

    @Test
    void aDistrustedLogIsNoStateAcrossRestartsUntilARecoveryCompleted() {
        appendRecords(dataDir, 1);
        DataDirState state = inspect(dataDir);
        assertThat(state.hadState()).isTrue();

        state.distrust();
        assertThat(state.hadState()).as("once another master has led").isFalse();
        assertThat(inspect(dataDir).hadState()).as("restarted before its recovery completed").isFalse();

        state.recovered();
        assertThat(inspect(dataDir).hadState()).as("restarted after its recovery completed").isTrue();
    }
}
