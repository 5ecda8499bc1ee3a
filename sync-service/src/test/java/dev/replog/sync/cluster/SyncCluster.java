package dev.replog.sync.cluster;

import dev.replog.sync.SyncApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.util.FileSystemUtils;

/**
 * Three sync nodes in this JVM on pre-allocated ports (so each knows its peers up front), each with
 * its own data directory and its own Reactor Netty resources, so stopping one leaves the others'
 * servers and clients running.
 */
final class SyncCluster implements AutoCloseable {

    private final Path root;
    private final List<Integer> ports = new ArrayList<>();
    private final ConfigurableApplicationContext[] nodes;

    SyncCluster(Path root, int size) {
        this.root = root;
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
        }
        this.nodes = new ConfigurableApplicationContext[size];
    }

    SyncCluster startAll() {
        for (int i = 1; i <= nodes.length; i++) {
            start(i);
        }
        return this;
    }

    /** Starts node {@code id} (1-based) on its port with its data directory. */
    void start(int id) {
        String peers = ports.stream().map(p -> "http://127.0.0.1:" + p).collect(Collectors.joining(","));
        nodes[id - 1] = new SpringApplicationBuilder(SyncApplication.class, PrivateNettyResources.class)
                .run(
                        "--server.port=" + ports.get(id - 1),
                        "--server.address=127.0.0.1",
                        "--server.shutdown=immediate",
                        "--replog.node-name=sync-" + id,
                        "--replog.data-dir=" + dataDir(id),
                        "--replog.sync.peers=" + peers,
                        "--replog.sync.node-id=" + id,
                        "--replog.sync.join-check-interval=100ms",
                        "--replog.sync.backoff.give-up-after=6s",
                        // a waiter whose polls are slowed by a loaded machine keeps its place in the queue
                        "--replog.sync.lock.waiter-grace=10s",
                        // generous: the build machine may be loaded; production keeps 1s
                        "--replog.sync.request-timeout=3s",
                        "--logging.level.root=WARN",
                        "--logging.level.dev.replog=INFO",
                        "--springdoc.api-docs.enabled=false");
    }

    void stop(int id) {
        ConfigurableApplicationContext node = nodes[id - 1];
        if (node != null) {
            node.close();
            nodes[id - 1] = null;
        }
    }

    /**
     * Deletes node {@code id}'s data directory. A stopped node's last acceptor write (an accept it
     * was sent but not needed for a majority, still running on the shared boundedElastic scheduler)
     * can land meanwhile, so the deletion is retried until it succeeds.
     */
    void wipe(int id) {
        deleteEventually(dataDir(id));
    }

    static void deleteEventually(Path dir) {
        org.awaitility.Awaitility.await("deletion of " + dir).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> {
                    try {
                        FileSystemUtils.deleteRecursively(dir);
                        return true;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    String url(int id) {
        return "http://127.0.0.1:" + ports.get(id - 1);
    }

    Membership membership(int id) {
        return nodes[id - 1].getBean(Membership.class);
    }

    Path dataDir(int id) {
        return root.resolve("sync-" + id);
    }

    @Override
    public void close() {
        for (int i = 1; i <= nodes.length; i++) {
            stop(i);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Netty event loops and connection pools of one node only. */
    @Configuration(proxyBeanMethods = false)
    static class PrivateNettyResources {
        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            factory.setShutdownQuietPeriod(Duration.ZERO);
            factory.setShutdownTimeout(Duration.ofSeconds(2));
            return factory;
        }
    }
}
