package dev.replog.master.datadir;

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

}
