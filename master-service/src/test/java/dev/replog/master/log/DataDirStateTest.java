package dev.replog.master.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether the master's data dir holds state of its own: a log or an epoch does, unless a recovery
 * from no state has not completed since (a restart in the middle of it finds the log files the
 * store created, which prove nothing) or another master has led since; and the epochs it took.
 */
class DataDirStateTest {

    @TempDir
    Path dataDir;

    @Test
    void anEmptyDataDirHasNoStateAcrossRestartsUntilItsRecoveryCompleted() throws IOException {
        DataDirState first = DataDirState.inspect(dataDir);
        assertThat(first.hadState()).isFalse();
        Files.createDirectories(dataDir.resolve("log")); // what the log store does right after

        assertThat(DataDirState.inspect(dataDir).hadState()).as("restarted before its recovery completed").isFalse();

        first.recovered();
        assertThat(DataDirState.inspect(dataDir).hadState()).as("restarted after its recovery completed").isTrue();
    }

    @Test
    void aLogOrAnEpochIsStateAndLeavesNoMarker() throws IOException {
        Files.createDirectories(dataDir.resolve("log"));
        assertThat(DataDirState.inspect(dataDir).hadState()).isTrue();
        assertThat(dataDir.resolve(DataDirState.RECOVERY_PENDING)).doesNotExist();

        Path other = Files.createDirectories(dataDir.resolve("other"));
        Files.writeString(other.resolve("epoch"), "3\n");
        assertThat(DataDirState.inspect(other).hadState()).isTrue();
    }

    @Test
    void aMissingDataDirIsCreatedWithTheMarker() {
        Path missing = dataDir.resolve("not-yet");
        assertThat(DataDirState.inspect(missing).hadState()).isFalse();
        assertThat(missing.resolve(DataDirState.RECOVERY_PENDING)).exists();
    }

    @Test
    void epochsTakenAreKeptAcrossRestartsAndTheLocalCounterCounts() throws IOException {
        Files.createDirectories(dataDir.resolve("log"));
        assertThat(DataDirState.inspect(dataDir).takenEpoch()).as("nothing taken yet").isZero();
        Files.writeString(dataDir.resolve("epoch"), "4\n"); // the local epoch counter of an older master
        DataDirState state = DataDirState.inspect(dataDir);
        assertThat(state.takenEpoch()).isEqualTo(4);

        state.tookEpoch(9);
        state.tookEpoch(7); // never goes back
        assertThat(state.takenEpoch()).isEqualTo(9);
        assertThat(DataDirState.inspect(dataDir).takenEpoch()).as("after a restart").isEqualTo(9);
    }

    @Test
    void aDistrustedLogIsNoStateAcrossRestartsUntilARecoveryCompleted() throws IOException {
        Files.createDirectories(dataDir.resolve("log"));
        DataDirState state = DataDirState.inspect(dataDir);
        assertThat(state.hadState()).isTrue();

        state.distrust();
        assertThat(state.hadState()).as("once another master has led").isFalse();
        assertThat(DataDirState.inspect(dataDir).hadState()).as("restarted before its recovery completed").isFalse();

        state.recovered();
        assertThat(DataDirState.inspect(dataDir).hadState()).as("restarted after its recovery completed").isTrue();
    }
}
