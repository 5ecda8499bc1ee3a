package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.log.FileLogStore;
import dev.replog.common.protocol.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Torn tails written by the nemesis")
class TornTailTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    @DisplayName("are cut off when the log opens again, and every record before them is kept")
    void theStoreCutsTheTornTail(long seed) throws Exception {
        List<Entry> entries = LongStream.rangeClosed(1, 5).mapToObj(seq -> new Entry(seq, seq * 10, "m" + seq)).toList();
        try (FileLogStore store = FileLogStore.open(dir)) {
            store.append(entries).get();
        }
        Path segment = dir.resolve("00000000000000000001.log");
        long intact = Files.size(segment);

        String torn = TornTail.tear(dir, new Random(seed));

        assertThat(Files.size(segment)).as("segment after %s", torn).isGreaterThan(intact);
        try (FileLogStore store = FileLogStore.open(dir)) {
            assertThat(store.lastSeq()).as("last seq after %s", torn).isEqualTo(5);
            assertThat(store.read(1, 10)).isEqualTo(entries);
        }
        assertThat(Files.size(segment)).as("segment once the tail is cut").isEqualTo(intact);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    @DisplayName("of a killed node land right after its last record, over the zeros written ahead")
    void aKilledNodesTearLandsAfterItsLastRecord(long seed) throws Exception {
        List<Entry> entries = LongStream.rangeClosed(1, 5).mapToObj(seq -> new Entry(seq, seq * 10, "m" + seq)).toList();
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed);
        long intact;
        try (FileLogStore store = FileLogStore.open(dir)) {
            store.append(entries).get();
            // the files as a kill -9 leaves them: records, then zeros
            Files.copy(dir.resolve("00000000000000000001.log"), killed.resolve("00000000000000000001.log"));
        }
        intact = Files.size(dir.resolve("00000000000000000001.log"));
        Path segment = killed.resolve("00000000000000000001.log");
        long withZeros = Files.size(segment);

        String torn = TornTail.tear(killed, new Random(seed));

        assertThat(torn).as("where it tore").contains("at offset " + intact + " ");
        assertThat(Files.size(segment)).isEqualTo(withZeros);
        try (FileLogStore store = FileLogStore.open(killed)) {
            assertThat(store.lastSeq()).as("last seq after %s", torn).isEqualTo(5);
            assertThat(store.read(1, 10)).isEqualTo(entries);
        }
        assertThat(Files.size(segment)).as("segment once the tail is cut").isEqualTo(intact);
    }
}
