package dev.replog.common.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.Entry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: {@link DiskFullProbe} runs in a child JVM under a file-size limit
 * ({@code ulimit -S -f}, RLIMIT_FSIZE), where the kernel refuses writes past the limit with EFBIG
 * as it refuses them with ENOSPC on a full device, through the same system calls and the same store
 * code. (The JVM ignores SIGXFSZ, so the write fails instead of the process.) The limit is below
 * the megabyte of zeros the store writes ahead of its records, so that fails first. Lifting the
 * limit of the running probe ({@code prlimit}) is room freed on the disk.
 */
@EnabledOnOs(OS.LINUX)
class FileLogStoreDiskFullTest {

    private static final int LIMIT_KIB = 256;
    private static final int MESSAGE_CHARS = 1000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void aFullDiskRefusesTheAppendThatDoesNotFitKeepsEveryAcknowledgedOneAndTakesItOnceThereIsRoom()
            throws Exception {
        Map<String, String> probe = runProbe();

        long acked = Long.parseLong(probe.get("acked"));
        assertThat(acked).as("entries that fit under %d KiB", LIMIT_KIB)
                .isBetween((long) LIMIT_KIB * 1024 / (MESSAGE_CHARS + 100), (long) LIMIT_KIB * 1024 / MESSAGE_CHARS);
        assertThat(probe.get("refused")).contains("nothing was appended", "File too large");
        assertThat(probe.get("outOfSpace")).isEqualTo("true");
        assertThat(probe.get("again")).as("the same append again").isEqualTo("refused");
        assertThat(probe.get("lastSeq")).as("the refused appends left nothing").isEqualTo(String.valueOf(acked));
        assertThat(probe.get("readable")).isEqualTo(String.valueOf(acked));
        assertThat(probe.get("withRoom")).as("the refused append once there is room").isEqualTo(String.valueOf(acked + 1));
        assertThat(probe.get("output")).as("the zeros ahead failed first, and were given up")
                .contains("could not write zeros ahead");

        // after the halt: every acknowledged entry is there, and the log takes more
        String message = "x".repeat(MESSAGE_CHARS);
        try (FileLogStore reopened = FileLogStore.open(dir.resolve("log"))) {
            List<Entry> expected = LongStream.rangeClosed(1, acked + 1)
                    .mapToObj(seq -> DiskFullProbe.entry(seq, message)).toList();
            assertThat(reopened.lastSeq()).isEqualTo(acked + 1);
            assertThat(reopened.read(1, Integer.MAX_VALUE)).isEqualTo(expected);
            assertThat(reopened.append(List.of(DiskFullProbe.entry(acked + 2, message))).get(10, TimeUnit.SECONDS))
                    .isEqualTo(acked + 2);
        }
    }

    /** Runs the probe, lifts its limit when it waits for room, and returns its {@code key=value} lines. */
    private Map<String, String> runProbe() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder("bash", "-c", "ulimit -S -f " + LIMIT_KIB + " && exec \"$0\" \"$@\"",
                java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), DiskFullProbe.class.getName(),
                dir.resolve("log").toString(), String.valueOf(MESSAGE_CHARS))
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer in = process.outputWriter(StandardCharsets.UTF_8)) {
            StringBuilder output = new StringBuilder();
            Map<String, String> result = new LinkedHashMap<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                output.append(line).append('\n');
                if (line.matches("[a-zA-Z]+=.*")) {
                    result.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                }
                if (line.equals("waiting=room")) {
                    liftFileSizeLimit(process.pid());
                    in.write("go\n");
                    in.flush();
                }
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the probe ends").isTrue();
            assertThat(process.exitValue()).as("the probe's exit status; its output:%n%s", output).isZero();
            result.put("output", output.toString());
            return result;
        } finally {
            process.destroyForcibly();
        }
    }

    private static void liftFileSizeLimit(long pid) throws IOException, InterruptedException {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", String.valueOf(pid), "--fsize=unlimited")
                .redirectErrorStream(true).start();
        String said = new String(prlimit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(prlimit.waitFor()).as("prlimit: %s", said).isZero();
    }
}
