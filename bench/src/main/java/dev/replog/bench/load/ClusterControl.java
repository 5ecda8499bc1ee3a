package dev.replog.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The cluster {@code bin/cluster} runs, driven from the takeover benchmark: its nodes and ports,
 * start and stop through the script (its output appended to a log file), and {@code kill -9} of a
 * node by the pid the script recorded, once the process is checked to carry that node's marker.
 *
 * <p>An own cluster ({@link #own}) lives in its own state directory ({@code REPLOG_CLUSTER_DIR}) on
 * free loopback ports ({@code REPLOG_<NODE>_PORT}, {@code SERVER_ADDRESS=127.0.0.1}), so that it runs
 * beside a cluster someone else started with the default ports and directory.
 */
final class ClusterControl {

    /** One node of the topology: name, role (sync, secondary, faulty, master) and port. */
    record Node(String name, String role, int port) {
        String url() {
            return "http://127.0.0.1:" + port;
        }

        boolean isMaster() {
            return role.equals("master");
        }

        boolean isReplica() {
            return role.equals("secondary") || role.equals("faulty");
        }
    }

    private final Path script;
    private final Path stateDir;
    private final Path log;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<Node> nodes;

    private ClusterControl(Path root, Path stateDir, Path log, boolean freePorts) throws IOException,
            InterruptedException {
        this.script = root.resolve("bin").resolve("cluster");
        this.stateDir = stateDir;
        this.log = log;
        environment.put("REPLOG_CLUSTER_DIR", stateDir.toString());
        List<Node> listed = new ArrayList<>();
        for (String line : output("nodes").split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 3) {
                listed.add(new Node(parts[0], parts[1], Integer.parseInt(parts[2])));
            }
        }
        if (listed.stream().noneMatch(Node::isMaster)) {
            throw new IllegalStateException("bin/cluster nodes lists no master: " + listed);
        }
        if (freePorts) {
            List<Node> moved = new ArrayList<>();
            for (Node node : listed) {
                Node on = new Node(node.name(), node.role(), freePort());
                environment.put("REPLOG_" + node.name().toUpperCase(Locale.ROOT).replace('-', '_') + "_PORT",
                        Integer.toString(on.port()));
                moved.add(on);
            }
            listed = moved;
            environment.put("SERVER_ADDRESS", "127.0.0.1");
            // a JVM start took up to three minutes on the two shared cores of the development machine
            environment.putIfAbsent("REPLOG_START_TIMEOUT", System.getenv().getOrDefault("REPLOG_START_TIMEOUT", "600"));
            environment.putIfAbsent("REPLOG_RECOVERY_TIMEOUT",
                    System.getenv().getOrDefault("REPLOG_RECOVERY_TIMEOUT", "300"));
        }
        this.nodes = List.copyOf(listed);
    }

    /** A cluster of its own in {@code stateDir}, on free ports; not yet started. */
    static ClusterControl own(Path root, Path stateDir, Path log) throws IOException, InterruptedException {
        Files.createDirectories(stateDir);
        return new ClusterControl(root, stateDir, log, true);
    }

    /**
     * The cluster {@code bin/cluster} runs now, with the caller's environment (REPLOG_CLUSTER_DIR,
     * REPLOG_&lt;NODE&gt;_PORT); the ports are those its nodes were started with.
     */
    static ClusterControl running(Path root, Path log) throws IOException, InterruptedException {
        String dir = System.getenv("REPLOG_CLUSTER_DIR");
        Path stateDir = dir == null || dir.isBlank() ? root.resolve(".cluster") : root.resolve(dir);
        ClusterControl control = new ClusterControl(root, stateDir, log, false);
        List<Node> started = new ArrayList<>();
        for (Node node : control.nodes) {
            Path portFile = stateDir.resolve(node.name() + ".port");
            int port = Files.isRegularFile(portFile)
                    ? Integer.parseInt(Files.readString(portFile, StandardCharsets.UTF_8).trim()) : node.port();
            started.add(new Node(node.name(), node.role(), port));
        }
        return new ClusterControl(control, started);
    }

    private ClusterControl(ClusterControl from, List<Node> nodes) {
        this.script = from.script;
        this.stateDir = from.stateDir;
        this.log = from.log;
        this.environment.putAll(from.environment);
        this.nodes = List.copyOf(nodes);
    }

    List<Node> nodes() {
        return nodes;
    }

    Path stateDir() {
        return stateDir;
    }

    /** {@code bin/cluster ARGS...}, its output appended to the log; true if it exited 0. */
    boolean run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** As {@link #run(String...)}, with {@code extra} added to the environment. */
    boolean run(Map<String, String> extra, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Files.writeString(log, "\n$ " + extra.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + " ")
                        .reduce("", String::concat) + "bin/cluster " + String.join(" ", args) + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().putAll(extra);
        Process process = builder.start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0;
    }

    private String output(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("bin/cluster " + String.join(" ", args) + " exited " + process.exitValue());
        }
        return out;
    }

    /**
     * SIGKILL to the node's process, as {@code kill -9}: the pid from the state directory, checked
     * to be a JVM started for this node. Returns once the signal is sent.
     */
    void kill9(String node) throws IOException {
        Path pidFile = stateDir.resolve(node + ".pid");
        long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException(node + ": no process " + pid));
        String marker = "-Dreplog-cluster-node=" + node;
        Optional<String[]> arguments = process.info().arguments();
        boolean ours = arguments.map(a -> List.of(a).contains(marker))
                .orElseGet(() -> process.info().commandLine().map(c -> c.contains(marker + " ")).orElse(false));
        if (!ours) {
            throw new IllegalStateException(node + ": process " + pid + " does not carry " + marker);
        }
        if (!process.destroyForcibly()) {
            throw new IllegalStateException(node + ": SIGKILL to " + pid + " failed");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
