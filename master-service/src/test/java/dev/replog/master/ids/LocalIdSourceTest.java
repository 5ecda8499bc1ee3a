package dev.replog.master.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replog.common.log.AppendFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalIdSourceTest {

    @TempDir
    Path dir;

    @Test
    void idsContinueAboveEveryReservedRangeAfterARestart() {
        LocalIdSource ids = new LocalIdSource(dir.resolve("ids"), 10);
        assertThat(ids.next()).isEqualTo(1);
        assertThat(ids.next()).isEqualTo(2);

        LocalIdSource restarted = new LocalIdSource(dir.resolve("ids"), 10);
        assertThat(restarted.next()).as("above the whole range reserved before").isEqualTo(11);
    }

    @Test
    void aReservationTheDiskRefusesIsARefusedAppendAndTheNextOneSucceeds() throws Exception {
        LocalIdSource ids = new LocalIdSource(dir.resolve("ids"), 2);
        assertThat(ids.next()).isEqualTo(1);
        assertThat(ids.next()).isEqualTo(2);
        // the counter's temporary file taken by a directory: the OS refuses the write, as a full disk would
        Path inTheWay = Files.createDirectory(dir.resolve("ids.tmp"));

        assertThatThrownBy(ids::next).isInstanceOf(AppendFailedException.class)
                .hasMessageContaining("nothing was appended");

        Files.delete(inTheWay);
        assertThat(ids.next()).isEqualTo(3);
        assertThat(new LocalIdSource(dir.resolve("ids"), 2).next()).as("after a restart").isEqualTo(5);
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
    void idsFoundInARecoveredLogArePassed() {
        LocalIdSource ids = new LocalIdSource(dir.resolve("ids"), 10);
        ids.advancePast(2500);
        assertThat(ids.next()).isEqualTo(2501);
        ids.advancePast(100);
        assertThat(ids.next()).isEqualTo(2502);
        assertThat(new LocalIdSource(dir.resolve("ids"), 10).next()).as("the reservation covered 2502").isGreaterThan(2502);
    }
}
