package dev.replog.master.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableCounterTest {

    @TempDir
    Path dir;

    @Test
    void aCounterSurvivesReopening() {
        DurableCounter counter = new DurableCounter(dir.resolve("epoch"));
        assertThat(counter.advance(1)).isEqualTo(1);
        assertThat(counter.advance(1)).isEqualTo(2);
        assertThat(new DurableCounter(dir.resolve("epoch")).value()).isEqualTo(2);
    }

    @Test
    void anUnreadableCounterStopsTheStartInsteadOfStartingAgainFromZero() throws Exception {
        Files.writeString(dir.resolve("epoch"), "garbage");
        assertThatThrownBy(() -> new DurableCounter(dir.resolve("epoch")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("refusing to start");
    }

    @Test
    void idsKeepIncreasingAcrossRestartsAndSkipTheUnusedRestOfARange() {
        LocalIdSource ids = new LocalIdSource(dir.resolve("ids"), 10);
        assertThat(ids.next()).isEqualTo(1);
        assertThat(ids.next()).isEqualTo(2);
        LocalIdSource afterRestart = new LocalIdSource(dir.resolve("ids"), 10);
        assertThat(afterRestart.next()).isEqualTo(11);
    }

    @Test
    void eachStartTakesAGreaterEpoch() {
        assertThat(new LocalEpochSource(dir.resolve("epoch")).takeNewEpoch(0, 0).block())
                .isEqualTo(new EpochSource.NewEpoch(1, false));
        assertThat(new LocalEpochSource(dir.resolve("epoch")).takeNewEpoch(0, 1).block())
                .isEqualTo(new EpochSource.NewEpoch(2, false));
    }

    @Test
    void aNewEpochJumpsAboveEpochsSeenOnSecondaries() {
        assertThat(new LocalEpochSource(dir.resolve("epoch")).takeNewEpoch(7, 0).block().epoch()).isEqualTo(8);
        assertThat(new LocalEpochSource(dir.resolve("epoch")).takeNewEpoch(3, 8).block().epoch()).isEqualTo(9);
    }

    @Test
    void idsFoundInARecoveredLogArePassed() {
        LocalIdSource ids = new LocalIdSource(dir.resolve("ids"), 10);
        ids.advancePast(2500);
        assertThat(ids.next()).isEqualTo(2501);
        ids.advancePast(100);
        assertThat(ids.next()).isEqualTo(2502);
        assertThat(new LocalIdSource(dir.resolve("ids"), 10).next()).as("the reservation covered 2502").isGreaterThan(2502);
    }
}
