package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.HttpResult;
import dev.replog.cluster.fixture.NodeProcess;
import dev.replog.cluster.fixture.ReplogCluster;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Three sync-service nodes as real processes, no master: id ranges stay unique and increasing
 * through kill -9 of one node under load, a restart of every node, and a node whose data dir was
 * wiped. One cluster serves every test; each starts from every node running.
 */
@ExtendWith(ClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("sync-service nodes crash, restart and lose their disk")
class SyncNodeFailuresIT {

    private static final long[] SIZES = {1, 7, 13, 1000, 1250, 3, 999};
    private static final Duration GIVE_UP = Duration.ofSeconds(2);
    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        ReplogCluster.Builder builder = ReplogCluster.builder(SyncNodeFailuresIT.class).withoutMaster().syncNodes(3);
        for (int i = 1; i <= 3; i++) {
            builder.nodeProperty("sync-" + i, "replog.sync.join-check-interval", "100ms")
                    .nodeProperty("sync-" + i, "replog.sync.backoff.give-up-after", GIVE_UP.toMillis() + "ms");
        }
        cluster = builder.start();
    }

    @BeforeEach
    void everyNodeRuns() {
        cluster.heal();
    }

    @Test
    @Order(1)
    @DisplayName("two clients per node take ranges of mixed sizes while one node is killed -9 and restarted: "
            + "no two ranges overlap and each client's ranges increase")
    void rangesStayUniqueWhileANodeIsKilledAndRestarted() throws Exception {
        List<NodeProcess> nodes = cluster.syncNodes();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger unreachable = new AtomicInteger();
        List<RangeClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(new RangeClient(i, nodes.get(i % 3), running, granted, unavailable, unreachable));
        }
        List<CompletableFuture<Void>> done = clients.stream()
                .map(client -> CompletableFuture.runAsync(client::run))
                .toList();
        try {
            awaitMoreRanges(granted, 30, "before the kill");
            NodeProcess victim = nodes.get(1);
            victim.kill();
            awaitMoreRanges(granted, 30, "with " + victim.name() + " down");
            victim.start();
            awaitMoreRanges(granted, 30, "after " + victim.name() + " came back");
        } finally {
            running.set(false);
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }

        List<long[]> all = new ArrayList<>();
        for (RangeClient client : clients) {
            for (int i = 1; i < client.ranges.size(); i++) {
                assertThat(client.ranges.get(i)[0]).as("client %d: range %d starts above range %d", client.id, i, i - 1)
                        .isGreaterThan(client.ranges.get(i - 1)[1]);
            }
            all.addAll(client.ranges);
        }
        assertNoOverlap(all);
        System.out.printf("[SyncNodeFailuresIT] ranges granted: %d, 503 answers: %d, unreachable node: %d%n",
                granted.get(), unavailable.get(), unreachable.get());
        assertThat(clients).as("every client was granted ranges").allMatch(client -> !client.ranges.isEmpty());
        long next = readNext(nodes.get(1), "mixed");
        assertThat(next).as("a read on the restarted node sees every range").isGreaterThan(
                all.stream().mapToLong(r -> r[1]).max().orElseThrow());
    }

    @Test
    @Order(2)
    @DisplayName("the first range of a fresh sequence, then kill -9 and restart of every node: the next range is above it")
    void aFreshSequenceSurvivesARestartOfEveryNode() {
        long[] first = takeRange(cluster.syncNodes().get(0), "fresh", 5);
        assertThat(first).containsExactly(1, 5);

        cluster.syncNodes().forEach(NodeProcess::kill);
        cluster.syncNodes().forEach(NodeProcess::launch);
        cluster.syncNodes().forEach(NodeProcess::awaitReady);

        long[] next = awaitRange(cluster.syncNodes().get(2), "fresh", 1);
        assertThat(next[0]).as("first range after the restart").isGreaterThan(first[1]);
    }

    /**
     * The schedule that would hand out a duplicate if a wiped node voted from its empty state: C is
     * down while ranges are taken (only A and B hold them), C comes back without them, then A loses
     * its disk and B is killed. A and C now form a majority, and neither holds the ranges: it must
     * refuse (503) rather than start again at 1. Once B is back, A re-joins and ranges go on above.
     */
    @Test
    @Order(3)
    @DisplayName("a wiped node does not cause a duplicate: with the only other holder down it refuses, "
            + "and once that holder is back ranges continue above")
    void aWipedNodeDoesNotHandOutADuplicate() {
        NodeProcess a = cluster.syncNodes().get(0);
        NodeProcess b = cluster.syncNodes().get(1);
        NodeProcess c = cluster.syncNodes().get(2);
        c.kill();
        long highest = 0;
        for (long size : new long[] {1, 13, 1000}) {
            highest = takeRange(a, "wiped", size)[1];
        }
        c.start();

        a.kill();
        a.wipeDataDir();
        b.kill();
        a.start();

        List<CompletableFuture<HttpResult>> attempts = new ArrayList<>();
        for (NodeProcess node : List.of(a, c, a, c)) {
            attempts.add(node.client().postJsonAsync("/sequences/wiped/ranges", Map.of("size", 7), Map.of()));
        }
        int refused = 0;
        for (CompletableFuture<HttpResult> attempt : attempts) {
            HttpResult result = attempt.join();
            if (result.status() == 200) {
                assertThat(result.json().path("from").asLong()).as("a range granted by A and C: %s", result)
                        .isGreaterThan(highest);
            } else {
                assertThat(result.status()).as("answer of A or C without B: %s", result).isEqualTo(503);
                refused++;
            }
        }
        assertThat(refused).as("A (wiped) and C (stale) do not decide without B").isEqualTo(attempts.size());
        assertThat(a.client().get("/paxos/state-summary").json().path("status").asString())
                .as("the wiped node does not vote while it cannot re-join").isNotEqualTo("VOTING");

        b.start();
        long[] after = awaitRange(a, "wiped", 7);
        assertThat(after[0]).as("the first range the re-joined node hands out").isGreaterThan(highest);
        assertThat(awaitRange(c, "wiped", 1)[0]).isGreaterThan(after[1]);
    }

    private static void awaitMoreRanges(AtomicInteger granted, int more, String when) {
        int target = granted.get() + more;
        await(more + " more ranges granted " + when)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> granted.get() >= target);
    }

    private static void assertNoOverlap(List<long[]> ranges) {
        List<long[]> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(r -> r[0]));
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i)[0]).as("range %d..%d overlaps %d..%d", sorted.get(i)[0], sorted.get(i)[1],
                    sorted.get(i - 1)[0], sorted.get(i - 1)[1]).isGreaterThan(sorted.get(i - 1)[1]);
        }
    }

    private static long[] takeRange(NodeProcess node, String name, long size) {
        HttpResult result = node.client().postJson("/sequences/" + name + "/ranges", Map.of("size", size));
        assertThat(result.status()).as("range of %d from %s: %s", size, node.name(), result).isEqualTo(200);
        return rangeOf(result, size);
    }

    /** Takes a range once the node can (nodes just started may answer 503 while they find each other). */
    private static long[] awaitRange(NodeProcess node, String name, long size) {
        long[][] taken = new long[1][];
        await("a range of " + name + " from " + node.name())
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> {
                    HttpResult result = node.client().postJson("/sequences/" + name + "/ranges", Map.of("size", size));
                    assertThat(result.status()).as("answer of %s: %s", node.name(), result).isIn(200, 503);
                    if (result.status() == 200) {
                        taken[0] = rangeOf(result, size);
                    }
                    return taken[0] != null;
                });
        return taken[0];
    }

    private static long readNext(NodeProcess node, String name) {
        HttpResult result = node.client().get("/sequences/" + name);
        assertThat(result.status()).as("read from %s: %s", node.name(), result).isEqualTo(200);
        return result.json().path("next").asLong();
    }

    private static long[] rangeOf(HttpResult result, long size) {
        JsonNode body = result.json();
        long from = body.path("from").asLong();
        long to = body.path("to").asLong();
        assertThat(to - from + 1).as("size of %s", result).isEqualTo(size);
        return new long[] {from, to};
    }

    /** One client bound to one node, taking ranges one after another until told to stop. */
    private static final class RangeClient {
        final int id;
        final List<long[]> ranges = new ArrayList<>();
        private final NodeProcess node;
        private final AtomicBoolean running;
        private final AtomicInteger granted;
        private final AtomicInteger unavailable;
        private final AtomicInteger unreachable;

        RangeClient(int id, NodeProcess node, AtomicBoolean running, AtomicInteger granted, AtomicInteger unavailable,
                AtomicInteger unreachable) {
            this.id = id;
            this.node = node;
            this.running = running;
            this.granted = granted;
            this.unavailable = unavailable;
            this.unreachable = unreachable;
        }

        void run() {
            for (int i = id; running.get(); i++) {
                long size = SIZES[i % SIZES.length];
                HttpResult result;
                try {
                    result = node.client().send("POST", "/sequences/mixed/ranges", "{\"size\": " + size + "}",
                            "application/json", Map.of(), GIVE_UP.multipliedBy(3));
                } catch (UncheckedIOException | java.util.concurrent.CompletionException e) {
                    unreachable.incrementAndGet();
                    // pacing, not a wait for a condition: the node is down, do not spin on refused connections
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                    continue;
                }
                if (result.status() == 200) {
                    ranges.add(rangeOf(result, size));
                    granted.incrementAndGet();
                } else if (result.status() == 503) {
                    unavailable.incrementAndGet();
                } else {
                    throw new AssertionError("client " + id + " on " + node.name() + ": " + result);
                }
            }
        }
    }
}
