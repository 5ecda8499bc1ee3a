package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A replog cluster of real processes on 127.0.0.1: one master and the secondaries it is
 * configured with, some of which may be left stopped at start (the master still knows their URLs).
 *
 * <pre>{@code
 * try (ReplogCluster cluster = ReplogCluster.standard(MyIT.class)
 *         .notStarted(ReplogCluster.FAULTY_SECONDARY)
 *         .start()) { ... }
 * }</pre>
 *
 * Node logs go to {@code target/cluster-logs/<TestClass>/<node>.log}; {@link ClusterExtension}
 * prints their tails when a test fails.
 *
 * <p>Every cluster runs with a random {@code replog.cluster.secret} unless
 * {@link Builder#clusterSecret(String)} says otherwise, so every cluster test also checks that the
 * nodes' internal clients send it; the nodes' {@link ReplogClient}s send it too
 * ({@link ReplogClient#withoutSecret()} is an outsider).
 */
final class ReplogCluster implements AutoCloseable {

    static final String MASTER = "master";
    static final String SECONDARY = "secondary";
    static final String FAULTY_SECONDARY = "faulty-secondary";

    /** Fast heartbeats and short backoffs so that tests observe state changes in a second or two. */
    static final Map<String, String> TEST_MASTER_PROPERTIES = Map.of(
            "replog.heartbeat.interval", "200ms",
            "replog.heartbeat.unhealthy-after", "3",
            "replog.heartbeat.timeout", "1s",
            "replog.retry.initial-backoff", "20ms",
            "replog.retry.max-backoff", "250ms",
            "replog.retry.max-attempts", "0");

    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, NodeProcess> nodes;
    private final NodeProcess master;
    private final String clusterSecret;

    private ReplogCluster(Map<String, NodeProcess> nodes, NodeProcess master, String clusterSecret) {
        this.nodes = nodes;
        this.master = master;
        this.clusterSecret = clusterSecret;
    }

    /** A fresh random cluster secret: 32 hex digits. */
    static String randomSecret() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static Builder builder(Class<?> testClass) {
        return new Builder(testClass);
    }

    /**
     * The README's topology: the master, {@value #SECONDARY} and {@value #FAULTY_SECONDARY} (no sync
     * nodes unless the test adds them).
     */
    static Builder standard(Class<?> testClass) {
        return builder(testClass).secondary(SECONDARY).faultySecondary(FAULTY_SECONDARY);
    }

    /** The directory under which this test class's node logs are written. */
    static Path logDir(Class<?> testClass) {
        return targetDir().resolve("cluster-logs").resolve(testClass.getSimpleName());
    }

    static Path targetDir() {
        return Path.of(System.getProperty("replog.target.dir",
                Path.of(System.getProperty("user.dir"), "target").toString())).toAbsolutePath();
    }

    NodeProcess master() {
        if (master == null) {
            throw new IllegalStateException("this cluster has no master");
        }
        return master;
    }

    /** The master's client: the one a user talks to. */
    ReplogClient client() {
        return master().client();
    }

    /**
     * A second master, as if started by mistake against this cluster's secondaries: the master's
     * properties and secret, its own free port and an empty data dir beside the others. It is not
     * one of the cluster's nodes ({@link #heal()} and {@link #close()} leave it alone): the test
     * that launches it kills it.
     */
    NodeProcess secondMaster(String name) {
        NodeProcess first = master();
        return new NodeProcess(name, NodeKind.MASTER, FreePorts.allocate(), first.logFile().getParent(),
                first.dataDir().resolveSibling(name), first.properties(), clusterSecret);
    }

    NodeProcess node(String name) {
        NodeProcess node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("no node " + name + " in " + nodes.keySet());
        }
        return node;
    }

    List<NodeProcess> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The master's replicas: secondaries and faulty-secondaries (not the sync nodes). */
    List<NodeProcess> secondaries() {
        return nodes.values().stream().filter(n -> n.kind().isReplica()).toList();
    }

    /** The sync-service nodes ({@link Builder#syncNodes(int)}), in order sync-1, sync-2, ... */
    List<NodeProcess> syncNodes() {
        return nodes.values().stream().filter(n -> n.kind() == NodeKind.SYNC).toList();
    }

    /** Cluster size n as the master counts it. */
    int size() {
        return 1 + secondaries().size();
    }

    /** The cluster secret every node of this cluster was started with, or null. */
    String clusterSecret() {
        return clusterSecret;
    }

    /** Waits until the master's {@code /health} shows each named node with the given status. */
    void awaitStatus(String status, String... names) {
        await("master to see " + String.join(", ", names) + " " + status)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    for (String name : names) {
                        assertThat(client().statusOf(name)).as("status of %s", name).isEqualTo(status);
                    }
                });
    }

    /** Waits until the master's {@code /health} says READ_WRITE. */
    void awaitReadWrite() {
        await("master to be READ_WRITE")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> "READ_WRITE".equals(client().health().path("mode").asString("")));
    }

    /**
     * Brings every node back to a running, healthy state after a test that killed, paused or
     * faulted some: resumes paused nodes, starts stopped ones, resets faults and waits until the
     * master sees every secondary HEALTHY and is READ_WRITE.
     */
    void heal() {
        List<NodeProcess> started = new ArrayList<>();
        for (NodeProcess node : syncNodes()) {
            if (node.isPaused() && node.isAlive()) {
                node.resume();
            }
            if (!node.isAlive()) {
                started.add(node.launch());
            }
        }
        started.forEach(NodeProcess::awaitReady);
        started.clear();
        for (NodeProcess node : nodes.values()) {
            if (node.isPaused() && node.isAlive()) {
                node.resume();
            }
            if (!node.isAlive()) {
                started.add(node.launch());
            }
        }
        started.forEach(NodeProcess::awaitReady);
        for (NodeProcess node : secondaries()) {
            if (node.kind() == NodeKind.FAULTY_SECONDARY) {
                HttpResult reset = node.client().send("POST", "/faults/reset", null, null, Map.of(),
                        ReplogClient.SHORT);
                assertThat(reset.status()).as("POST /faults/reset on %s: %s", node.name(), reset).isEqualTo(200);
            }
        }
        if (master != null) {
            awaitStatus("HEALTHY", secondaries().stream().map(NodeProcess::name).toArray(String[]::new));
            awaitReadWrite();
        }
    }

    /**
     * Waits until every running secondary shows exactly the master's log and returns that log.
     * At every look each secondary must show a prefix of the master's log; one look that does not
     * fails at once ({@link LogChecks.PrefixViolation} is not retried).
     */
    List<LogEntry> awaitConverged(Duration atMost) {
        List<NodeProcess> running = secondaries().stream().filter(NodeProcess::isAlive).toList();
        await("every running secondary to show the master's log")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsMatching(e -> !(e instanceof LogChecks.PrefixViolation))
                .untilAsserted(() -> {
                    for (NodeProcess node : running) {
                        List<LogEntry> shown = node.client().messages();
                        List<LogEntry> expected = client().messages();
                        LogChecks.assertPrefix(node.name(), shown, expected);
                        assertThat(shown).as("log of %s", node.name()).isEqualTo(expected);
                    }
                });
        return client().messages();
    }

    /**
     * SIGKILL to every node: nothing is checked after a cluster is closed, and a graceful stop of
     * each node (Spring's shutdown phases, open streams) only costs suite time. Tests of a graceful
     * stop call {@link NodeProcess#stop()} themselves.
     */
    @Override
    public void close() {
        nodes.values().forEach(NodeProcess::kill);
    }

    @Override
    public String toString() {
        return "ReplogCluster" + nodes.values();
    }

    /** Which nodes, which of them to start, and extra properties. */
    static final class Builder {
        private final Class<?> testClass;
        private final Map<String, NodeKind> secondaries = new LinkedHashMap<>();
        private final Set<String> notStarted = new HashSet<>();
        private final Map<String, Map<String, String>> properties = new LinkedHashMap<>();
        private boolean withMaster = true;
        private int syncNodes;
        private String clusterSecret = randomSecret();

        private Builder(Class<?> testClass) {
            this.testClass = testClass;
        }

        /** A plain secondary named {@code name}. */
        Builder secondary(String name) {
            secondaries.put(name, NodeKind.SECONDARY);
            return this;
        }

        /** A faulty-secondary named {@code name} (faults off unless set by properties). */
        Builder faultySecondary(String name) {
            secondaries.put(name, NodeKind.FAULTY_SECONDARY);
            return this;
        }

        /**
         * {@code count} sync-service nodes named sync-1..sync-{@code count}, each with every node as
         * {@code replog.sync.peers} and its {@code replog.sync.node-id}; they start (and are ready)
         * before the other nodes, and the master and the replicas get them as {@code replog.sync.nodes}.
         */
        Builder syncNodes(int count) {
            syncNodes = count;
            return this;
        }

        /** Nodes that the master knows but that {@link #start()} leaves stopped. */
        Builder notStarted(String... names) {
            notStarted.addAll(List.of(names));
            return this;
        }

        /** Secondaries only, no master: for driving the internal endpoints directly. */
        Builder withoutMaster() {
            withMaster = false;
            return this;
        }

        /**
         * The {@code replog.cluster.secret} of every node; by default each cluster gets a random one,
         * so every cluster test runs with its internal endpoints guarded. Null: none (open).
         */
        Builder clusterSecret(String secret) {
            clusterSecret = secret;
            return this;
        }

        Builder masterProperty(String key, String value) {
            return nodeProperty(MASTER, key, value);
        }

        Builder nodeProperty(String node, String key, String value) {
            properties.computeIfAbsent(node, k -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** Allocates every port, starts the nodes in parallel and waits until they are ready. */
        ReplogCluster start() {
            int clusterNo = CLUSTERS.incrementAndGet();
            Path logDir = logDir(testClass);
            Path dataDir = targetDir().resolve("cluster-data").resolve(testClass.getSimpleName())
                    .resolve("cluster-" + clusterNo + "-" + ProcessHandle.current().pid());
            Map<String, NodeProcess> nodes = new LinkedHashMap<>();
            Map<String, Integer> ports = new LinkedHashMap<>();
            secondaries.keySet().forEach(name -> ports.put(name, FreePorts.allocate()));
            Map<String, Integer> syncPorts = new LinkedHashMap<>();
            for (int i = 1; i <= syncNodes; i++) {
                syncPorts.put("sync-" + i, FreePorts.allocate());
            }
            String syncUrls = syncPorts.values().stream().map(port -> "http://127.0.0.1:" + port)
                    .collect(Collectors.joining(","));
            int syncId = 0;
            for (Map.Entry<String, Integer> sync : syncPorts.entrySet()) {
                Map<String, String> syncProps = new LinkedHashMap<>();
                syncProps.put("replog.sync.peers", syncUrls);
                syncProps.put("replog.sync.node-id", Integer.toString(++syncId));
                syncProps.putAll(properties.getOrDefault(sync.getKey(), Map.of()));
                nodes.put(sync.getKey(), new NodeProcess(sync.getKey(), NodeKind.SYNC, sync.getValue(), logDir,
                        dataDir.resolve(sync.getKey()), syncProps, clusterSecret));
            }
            NodeProcess master = null;
            if (withMaster) {
                Map<String, String> masterProps = new LinkedHashMap<>(TEST_MASTER_PROPERTIES);
                if (!syncPorts.isEmpty()) {
                    masterProps.put("replog.sync.nodes", syncUrls);
                }
                masterProps.put("replog.secondaries", ports.entrySet().stream()
                        .map(e -> e.getKey() + "=http://127.0.0.1:" + e.getValue())
                        .collect(Collectors.joining(",")));
                masterProps.putAll(properties.getOrDefault(MASTER, Map.of()));
                master = new NodeProcess(MASTER, NodeKind.MASTER, FreePorts.allocate(), logDir,
                        dataDir.resolve(MASTER), masterProps, clusterSecret);
                nodes.put(MASTER, master);
            }
            for (Map.Entry<String, NodeKind> secondary : secondaries.entrySet()) {
                String name = secondary.getKey();
                Map<String, String> replicaProps = new LinkedHashMap<>();
                if (!syncPorts.isEmpty()) {
                    // where a replica that lost its data learns the newest epoch, as bin/cluster sets it
                    replicaProps.put("replog.sync.nodes", syncUrls);
                }
                replicaProps.putAll(properties.getOrDefault(name, Map.of()));
                nodes.put(name, new NodeProcess(name, secondary.getValue(), ports.get(name), logDir,
                        dataDir.resolve(name), replicaProps, clusterSecret));
            }
            ReplogCluster cluster = new ReplogCluster(nodes, master, clusterSecret);
            try {
                // The sync nodes first: the master takes its epoch and ids from them while it recovers.
                cluster.syncNodes().stream()
                        .filter(node -> !notStarted.contains(node.name()))
                        .map(NodeProcess::launch)
                        .toList()
                        .forEach(NodeProcess::awaitReady);
                List<NodeProcess> starting = nodes.values().stream()
                        .filter(node -> node.kind() != NodeKind.SYNC)
                        .filter(node -> !notStarted.contains(node.name()))
                        .map(NodeProcess::launch)
                        .toList();
                starting.forEach(NodeProcess::awaitReady);
                if (master != null) {
                    String[] running = starting.stream()
                            .filter(node -> node.kind().isReplica())
                            .map(NodeProcess::name)
                            .toArray(String[]::new);
                    cluster.awaitStatus("HEALTHY", running);
                    if (running.length + 1 >= cluster.size() / 2 + 1) {
                        cluster.awaitReadWrite();
                    }
                }
            } catch (RuntimeException | AssertionError e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }
}
