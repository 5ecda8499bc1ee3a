package dev.replog.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One replog node run as a separate JVM: {@code java -jar <module>-exec.jar} on a fixed port chosen
 * up front, so that it can be stopped, killed, paused and restarted on the same address.
 *
 * <p>Its stdout and stderr are appended to {@code <logDir>/<name>.log} across restarts. Every
 * process started in this JVM is remembered in {@link #all()} so that {@link ClusterExtension} can
 * dump logs on failure and clean up, and a shutdown hook kills whatever is still running.
 */
final class NodeProcess implements AutoCloseable {

    /** Fast start on a small machine: C1 only, serial GC, small heap and stacks. */
    static final List<String> JVM_OPTS = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xss512k", "-Djava.net.preferIPv4Stack=true");

    /** The environment variable that carries {@code replog.cluster.secret} to a node. */
    static final String CLUSTER_SECRET_ENV = "REPLOG_CLUSTER_SECRET";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final List<NodeProcess> ALL = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(NodeProcess::destroyQuietly),
                "replog-cluster-cleanup"));
    }

    private final String name;
    private final NodeKind kind;
    private final int port;
    private final Path logFile;
    private final Path dataDir;
    private final Map<String, String> properties;
    private final String clusterSecret;
    private final ReplogClient client;
    private volatile Process process;
    private volatile boolean paused;
    /** The file-size limit for the next {@link #launch()}, in KiB; 0: none. */
    private volatile long fileSizeLimitKib;

    NodeProcess(String name, NodeKind kind, int port, Path logDir, Path dataDir, Map<String, String> properties) {
        this(name, kind, port, logDir, dataDir, properties, null);
    }

    /**
     * @param clusterSecret the node's {@code replog.cluster.secret} (null: none), passed in the
     *                      environment so that it shows neither in the command line written to the
     *                      log nor in {@code ps}; the node's {@link #client()} sends it too
     */
    NodeProcess(String name, NodeKind kind, int port, Path logDir, Path dataDir, Map<String, String> properties,
            String clusterSecret) {
        this.name = name;
        this.kind = kind;
        this.port = port;
        this.logFile = logDir.resolve(name + ".log");
        this.dataDir = dataDir;
        this.properties = new LinkedHashMap<>(properties);
        this.clusterSecret = clusterSecret;
        this.client = new ReplogClient(url(), clusterSecret);
        ALL.add(this);
    }

    /** Every node created in this JVM, in creation order, running or not. */
    static List<NodeProcess> all() {
        return List.copyOf(ALL);
    }

    String name() {
        return name;
    }

    NodeKind kind() {
        return kind;
    }

    int port() {
        return port;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    ReplogClient client() {
        return client;
    }

    Path logFile() {
        return logFile;
    }

    /** The properties the node's next {@link #launch()} passes (besides port, name and data dir). */
    Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    /** The node's {@code replog.cluster.secret}, or null when it runs without one. */
    String clusterSecret() {
        return clusterSecret;
    }

    /** The node's {@code replog.data-dir}, kept across restarts. */
    Path dataDir() {
        return dataDir;
    }

    /**
     * Deletes the node's data dir and everything in it, as if its disk was lost. The node must not
     * be running; {@link #launch()} creates the directory again, empty.
     */
    void wipeDataDir() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is running: kill it before wiping its data dir " + dataDir);
        }
        Directories.deleteRecursively(dataDir);
    }

    /**
     * Sets (or, with {@code value} null, removes) a {@code --key=value} start argument for the next
     * {@link #launch()}; a running node keeps the settings it was started with.
     */
    void property(String key, String value) {
        if (value == null) {
            properties.remove(key);
        } else {
            properties.put(key, value);
        }
    }

    /**
     * Damages the end of the node's last log segment ({@code <data dir>/log/<first seq>.log}) as a
     * crash in the middle of a write would, and says what it did. The node must not be running; its
     * next start must cut the torn tail off ({@code FileLogStore} recovery).
     */
    String tearLogTail(Random random) {
        if (isAlive()) {
            throw new IllegalStateException(name + " is running: kill it before tearing its log");
        }
        return TornTail.tear(dataDir.resolve("log"), random);
    }

    /**
     * Starts the node's next {@link #launch()} under a file-size limit ({@code ulimit -S -f}, the
     * process's soft RLIMIT_FSIZE): the kernel refuses its writes past {@code kib} KiB in any file
     * with EFBIG, through the same system calls and error paths as ENOSPC on a full disk. 0: no
     * limit. The node's stdout log is written by the node too: keep the limit above its size.
     */
    void fileSizeLimit(long kib) {
        fileSizeLimitKib = kib;
    }

    /**
     * Lifts the running node's file-size limit ({@code prlimit}), as if room was freed on its disk,
     * and starts later launches without one (a node that is not running only loses the setting).
     */
    void liftFileSizeLimit() {
        fileSizeLimitKib = 0;
        if (!isAlive()) {
            return;
        }
        try {
            Process prlimit = new ProcessBuilder("prlimit", "--pid", String.valueOf(pid()), "--fsize=unlimited")
                    .redirectErrorStream(true).start();
            String said = new String(prlimit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (prlimit.waitFor() != 0) {
                throw new IllegalStateException("prlimit on " + name + " failed: " + said);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run prlimit for " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while lifting the file-size limit of " + name, e);
        }
    }

    long pid() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return p.pid();
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    boolean isPaused() {
        return paused;
    }

    /** Starts the JVM and returns at once; {@link #awaitReady()} waits until it serves HTTP. */
    NodeProcess launch() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>();
        if (fileSizeLimitKib > 0) {
            // exec: the JVM keeps the shell's pid, so stop, kill and pause still reach it
            command.addAll(List.of("bash", "-c", "ulimit -S -f " + fileSizeLimitKib + " && exec \"$0\" \"$@\""));
        }
        command.addAll(NodeImage.of(kind).javaCommand(JVM_OPTS));
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        command.add("--replog.node-name=" + name);
        command.add("--replog.data-dir=" + dataDir);
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(dataDir);
            Files.writeString(logFile, "\n===== " + Instant.now() + " starting " + name + ": "
                            + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            // never inherited from the shell that runs the tests: the cluster decides
            builder.environment().remove(CLUSTER_SECRET_ENV);
            if (clusterSecret != null) {
                builder.environment().put(CLUSTER_SECRET_ENV, clusterSecret);
            }
            process = builder.start();
            paused = false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        return this;
    }

    /** Waits until the node answers {@code /actuator/health}; fails at once if the JVM exits. */
    NodeProcess awaitReady() {
        try {
            await("node " + name + " on port " + port + " to answer /actuator/health")
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsMatching(e -> !(e instanceof NodeExited))
                    .until(() -> {
                        if (!isAlive()) {
                            throw new NodeExited(name + " exited with " + process.exitValue());
                        }
                        int status = client.get("/actuator/health").status();
                        // 503 still means Spring is up; a node may report itself DOWN while read-only
                        // (a sync node without a majority yet). Any HTTP answer means a sync node serves.
                        return status == 200 || status == 503 || (kind == NodeKind.SYNC && status > 0);
                    });
        } catch (ConditionTimeoutException | NodeExited e) {
            throw new AssertionError(name + " did not become ready"
                    + (isAlive() ? "" : " (exited with " + process.exitValue() + ")")
                    + "; last lines of " + logFile + ":\n" + tail(60), e);
        }
        return this;
    }

    /** Starts the node and waits until it serves HTTP. */
    NodeProcess start() {
        return launch().awaitReady();
    }

    /** Graceful stop: SIGTERM, then SIGKILL if it does not exit within 10 s. */
    void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        resumeIfPaused();
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Crash: SIGKILL ({@code kill -9}), no shutdown hooks run in the node. */
    void kill() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + p.pid() + ") survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        paused = false;
    }

    /** Freezes the JVM with SIGSTOP: its sockets stay open but it answers nothing. */
    void pause() {
        signal("STOP");
        paused = true;
    }

    /** Thaws a paused JVM with SIGCONT. */
    void resume() {
        signal("CONT");
        paused = false;
    }

    /** Kills the node if it runs and starts it again on the same port with the same data dir. */
    NodeProcess restart() {
        kill();
        return start();
    }

    @Override
    public void close() {
        stop();
    }

    /** The last {@code lines} lines of the node's log. */
    String tail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no log file " + logFile + ")";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + "(" + kind + ", " + url() + (isAlive() ? ", pid " + process.pid() : ", not running")
                + (paused ? ", paused" : "") + ")";
    }

    private void resumeIfPaused() {
        if (paused && isAlive()) {
            resume();
        }
    }

    private void signal(String signal) {
        if (!isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    private void destroyQuietly() {
        Process p = process;
        if (p != null && p.isAlive()) {
            // SIGKILL also ends a SIGSTOPped process; no need to resume it first.
            p.destroyForcibly();
        }
    }

    /** The node's JVM ended while a test waited for it. */
    static final class NodeExited extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NodeExited(String message) {
            super(message);
        }
    }
}
