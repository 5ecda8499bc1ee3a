package dev.replog.common.io;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

    @TempDir
    Path dir;

    @Test
    void aReplacedFileHoldsTheNewContentAndNoTempFileRemains() throws IOException {
        Path file = dir.resolve("epoch");
        Files.writeString(file, "1\n", US_ASCII);

        DurableFiles.replace(file, "2\n".getBytes(US_ASCII));

        assertThat(Files.readString(file, US_ASCII)).isEqualTo("2\n");
        assertThat(namesIn(dir)).containsExactly("epoch");
    }

    @Test
    void replaceCreatesAFileThatDoesNotExistYet() throws IOException {
        DurableFiles.replace(dir.resolve("new"), new byte[] {1, 2, 3});

        assertThat(Files.readAllBytes(dir.resolve("new"))).containsExactly(1, 2, 3);
    }

    @Test
    void aTempFileLeftByACrashedReplaceDoesNotLeakIntoTheNextOne() throws IOException {
        Files.writeString(dir.resolve("state.tmp"), "a longer torn leftover", US_ASCII);

        DurableFiles.replace(dir.resolve("state"), "ok".getBytes(US_ASCII));

        assertThat(Files.readString(dir.resolve("state"), US_ASCII)).isEqualTo("ok");
        assertThat(namesIn(dir)).containsExactly("state");
    }

    @Test
    void replaceDoesNotCreateAMissingDirectory() {
        Path file = dir.resolve("gone").resolve("state");

        assertThatThrownBy(() -> DurableFiles.replace(file, new byte[] {1})).isInstanceOf(NoSuchFileException.class);
        assertThat(Files.exists(dir.resolve("gone"))).isFalse();
    }

    @Test
    void createEmptyMakesAnEmptyFileAndLeavesAnExistingOneAsItIs() throws IOException {
        DurableFiles.createEmpty(dir.resolve("marker"));
        Files.writeString(dir.resolve("kept"), "content", US_ASCII);
        DurableFiles.createEmpty(dir.resolve("kept"));

        assertThat(Files.size(dir.resolve("marker"))).isZero();
        assertThat(Files.readString(dir.resolve("kept"), US_ASCII)).isEqualTo("content");
    }

    @Test
    void deleteIfExistsRemovesTheFileAndTellsWhetherItWasThere() throws IOException {
        DurableFiles.createEmpty(dir.resolve("marker"));

        assertThat(DurableFiles.deleteIfExists(dir.resolve("marker"))).isTrue();
        assertThat(DurableFiles.deleteIfExists(dir.resolve("marker"))).isFalse();
        assertThat(Files.exists(dir.resolve("marker"))).isFalse();
    }

    @Test
    void anOpenableDirectoryIsFsyncedAndOneThatCannotBeOpenedIsSkipped() throws IOException {
        assertThat(DurableFiles.fsyncDirectory(dir)).isTrue();
        assertThat(DurableFiles.fsyncDirectory(dir.resolve("missing"))).isFalse();
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
