package dev.replog.common.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: {@link DiskFullProbe} runs in a child JVM under a file-size limit
 * ({@code ulimit -f}, RLIMIT_FSIZE), where the kernel refuses writes past the limit with EFBIG as
 * it refuses them with ENOSPC on a full device, through the same system calls and the same store
 * code. (The JVM ignores SIGXFSZ, so the write fails instead of the process.) The limit is below
 * the megabyte of zeros the store writes ahead of its records, so that fails first.
 */
@EnabledOnOs(OS.LINUX)
class FileLogStoreDiskFullTest {

    private static final int LIMIT_KIB = 256;
    private static final int MESSAGE_CHARS = 1000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFullDiskRefusesTheAppendThatDoesNotFitAndKeepsEveryAcknowledgedOne() throws Exception {
        Map<String, String> probe = runProbe();

        long acked = Long.parseLong(probe.get("acked"));
        assertThat(acked).as("entries that fit under %d KiB", LIMIT_KIB)
                .isBetween((long) LIMIT_KIB * 1024 / (MESSAGE_CHARS + 100), (long) LIMIT_KIB * 1024 / MESSAGE_CHARS);
        assertThat(probe.get("refused")).contains("nothing was appended", "File too large");
        assertThat(probe.get("outOfSpace")).isEqualTo("true");
        assertThat(probe.get("again")).as("the same append again").isEqualTo("refused");
        assertThat(probe.get("lastSeq")).as("the refused appends left nothing").isEqualTo(String.valueOf(acked));
        assertThat(probe.get("readable")).isEqualTo(String.valueOf(acked));
        assertThat(probe.get("output")).as("the zeros ahead failed first, and were given up")
                .contains("could not write zeros ahead");

        // space again (no limit here): the log is every acknowledged entry, and takes more
        String message = "x".repeat(MESSAGE_CHARS);
        try (FileLogStore reopened = FileLogStore.open(dir.resolve("log"))) {
            List<Entry> expected = LongStream.rangeClosed(1, acked).mapToObj(seq -> DiskFullProbe.entry(seq, message)).toList();
            assertThat(reopened.lastSeq()).isEqualTo(acked);
            assertThat(reopened.read(1, Integer.MAX_VALUE)).isEqualTo(expected);
            assertThat(reopened.append(List.of(DiskFullProbe.entry(acked + 1, message))).get(10, TimeUnit.SECONDS))
                    .isEqualTo(acked + 1);
        }
    }

    private Map<String, String> runProbe() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder("bash", "-c", "ulimit -f " + LIMIT_KIB + " && exec \"$0\" \"$@\"",
                java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), DiskFullProbe.class.getName(),
                dir.resolve("log").toString(), String.valueOf(MESSAGE_CHARS))
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the probe ends").isTrue();
            assertThat(process.exitValue()).as("the probe's exit status; its output:%n%s", output).isZero();
            Map<String, String> result = new LinkedHashMap<>();
            output.lines().filter(line -> line.matches("[a-zA-Z]+=.*"))
                    .forEach(line -> result.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
            result.put("output", output);
            return result;
        } finally {
            process.destroyForcibly();
        }
    }
}
