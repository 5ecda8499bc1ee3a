package dev.replog.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cluster a benchmark started for itself through {@code bin/cluster} (see {@link ClusterControl#own}):
 * cleaned and started by {@link #start}, stopped by {@link #close}, or by a shutdown hook when the
 * run is interrupted.
 */
final class OwnCluster implements AutoCloseable {

    private static final PrintStream OUT = System.out;

    private final ClusterControl cluster;
    private final String tool;
    private final Thread stopper;

    private OwnCluster(ClusterControl cluster, String tool) {
        this.cluster = cluster;
        this.tool = tool;
        this.stopper = new Thread(this::stopQuietly, "cluster-stop");
    }

    /** Starts the whole cluster afresh; null (stopped again, the reason printed) if {@code bin/cluster start} failed. */
    static OwnCluster start(ClusterControl cluster, String tool, Path log) throws IOException, InterruptedException {
        return start(cluster, tool, log, Map.of(), cluster.nodes());
    }

    /** As {@link #start(ClusterControl, String, Path)}, only {@code nodes}, with {@code environment} added. */
    static OwnCluster start(ClusterControl cluster, String tool, Path log, Map<String, String> environment,
            List<ClusterControl.Node> nodes) throws IOException, InterruptedException {
        OUT.println(tool + ": starting a cluster of its own on free ports: "
                + nodes.stream().map(n -> n.name() + " " + n.port()).toList());
        List<String> start = new ArrayList<>(List.of("start"));
        if (nodes.size() < cluster.nodes().size()) {
            nodes.forEach(n -> start.add(n.name()));
        }
        if (!cluster.run("clean") || !cluster.run(environment, start.toArray(String[]::new))) {
            OUT.println(tool + ": bin/cluster start failed; see " + log);
            cluster.run("stop");
            return null;
        }
        OwnCluster own = new OwnCluster(cluster, tool);
        Runtime.getRuntime().addShutdownHook(own.stopper);
        return own;
    }

    private void stopQuietly() {
        try {
            cluster.run("stop");
        } catch (Exception ignored) {
            // stopping anyway
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Runtime.getRuntime().removeShutdownHook(stopper);
        OUT.println(tool + ": stopping its cluster");
        cluster.run("stop");
    }
}
