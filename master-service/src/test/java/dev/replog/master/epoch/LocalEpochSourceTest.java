package dev.replog.master.epoch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEpochSourceTest {

    @TempDir
    Path dir;

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
}
