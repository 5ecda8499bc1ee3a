package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.cluster.fixture.FakeMasterProcess;
import dev.replog.cluster.fixture.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/cluster}'s supervision of master instances, with a stand-in JVM
 * ({@link FakeMasterProcess}, through a {@code JAVA_HOME} whose {@code java} runs it) so that only
 * the script is under test: a master that stepped down exits with status 75 and is started again as
 * a standby, as docker compose's restart policy does; one killed or stopped is left as it is.
 */
@DisplayName("bin/cluster")
class ClusterScriptIT {

    private static final Path ROOT = Path.of(System.getProperty("replog.modules.dir", "..")).toAbsolutePath()
            .normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    private final int port = FreePorts.allocate();
    private final List<Long> seen = new ArrayList<>();

    @AfterEach
    void stopWhatWasStarted() throws Exception {
        run("stop", "master");
        seen.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    @DisplayName("starts a master instance that stepped down (exit 75) again, and leaves one killed with -9")
    void restartsAMasterThatSteppedDownOnly() throws Exception {
        assertThat(run("start", "--no-build", "master")).as("bin/cluster start's exit status; output in %s",
                dir.resolve("script.out")).isZero();
        long first = pid();
        seen.add(first);

        exit(75);
        await("a new master JVM after the exit with 75").atMost(Duration.ofSeconds(30))
                .until(() -> pidOrZero() != first && isAlive(pidOrZero()) && answers());
        long second = pid();
        seen.add(second);
        assertThat(isAlive(first)).isFalse();
        assertThat(Files.readString(dir.resolve("state/logs/master.log")))
                .contains("master stepped down (exit 75); starting it again as a standby");

        ProcessHandle.of(second).orElseThrow().destroyForcibly();
        await("the killed JVM to be gone").atMost(Duration.ofSeconds(10)).until(() -> !isAlive(second));
        await("no restart after kill -9").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> pidOrZero() == second && !answers());
    }

    private int run(String... args) throws IOException, InterruptedException {
        Path javaHome = dir.resolve("jdk");
        Path java = javaHome.resolve("bin/java");
        if (!Files.exists(java)) {
            Files.createDirectories(java.getParent());
            Path classes = Path.of(FakeMasterProcess.class.getProtectionDomain().getCodeSource().getLocation()
                    .getPath());
            Path realJava = Path.of(System.getProperty("java.home"), "bin", "java");
            Files.writeString(java, "#!/usr/bin/env bash\nexec '" + realJava + "' -Xmx32m -cp '" + classes + "' "
                    + FakeMasterProcess.class.getName() + " \"$@\"\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/cluster").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("script.out").toFile()));
        builder.environment().putAll(Map.of(
                "JAVA_HOME", javaHome.toString(),
                "REPLOG_CLUSTER_DIR", dir.resolve("state").toString(),
                "REPLOG_MASTER_PORT", Integer.toString(port),
                "REPLOG_JVM_CACHE", "off",
                "REPLOG_START_TIMEOUT", "60",
                "REPLOG_RECOVERY_TIMEOUT", "30",
                "REPLOG_STOP_TIMEOUT", "10"));
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("bin/cluster " + String.join(" ", args) + " did not end in 120 s");
        }
        return process.exitValue();
    }

    private long pid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("state/master.pid")).trim());
    }

    private long pidOrZero() {
        try {
            return pid();
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isAlive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private boolean answers() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Asks the running JVM to exit with {@code status}; it may end before its answer arrives. */
    private void exit(int status) throws InterruptedException {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/exit?status=" + status))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // the connection ended with the process
        }
    }
}
