package dev.replog.cluster;

import static dev.replog.cluster.fixture.LogChecks.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.HttpResult;
import dev.replog.cluster.fixture.LogEntry;
import dev.replog.cluster.fixture.NodeProcess;
import dev.replog.cluster.fixture.ReplogClient;
import dev.replog.cluster.fixture.ReplogCluster;
import dev.replog.cluster.fixture.Written;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Heartbeat states and the quorum rule, seen through the master's {@code /health} and its answers
 * to writes (n = 3, quorum 2). One cluster serves every test; each starts from all nodes healthy.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Heartbeats and quorum")
class HeartbeatAndQuorumIT {

    private static final int N = 3;
    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.standard(HeartbeatAndQuorumIT.class)
                // A wider SUSPECTED window (1 to 4 missed beats of 250 ms) than the fixture's default,
                // so that polling /health every 20 ms sees it even on a busy machine.
                .masterProperty("replog.heartbeat.interval", "250ms")
                .masterProperty("replog.heartbeat.unhealthy-after", "4")
                .start();
    }

    @BeforeEach
    void everyNodeRunsAndIsHealthy() {
        cluster.heal();
    }

    /** One look at the master's view of a node. */
    record Look(String status, int nodesUp, String mode) {
    }

    @Test
    @DisplayName("a secondary that dies goes HEALTHY → SUSPECTED → UNHEALTHY, counts as up until UNHEALTHY, "
            + "and is HEALTHY again after a restart")
    void heartbeatStatesFollowTheSpec() {
        ReplogClient master = cluster.client();
        JsonNode health = master.health();
        assertThat(health.path("quorum").asInt()).isEqualTo(2);
        assertThat(health.path("nodesUp").asInt()).isEqualTo(3);
        JsonNode self = health.path("nodes").path(0);
        assertThat(self.path("role").asString("")).as("first node of /health is the master: %s", self)
                .isEqualTo("master");
        assertThat(health.path("nodes")).hasSize(3);
        for (NodeProcess secondary : cluster.secondaries()) {
            JsonNode seen = master.healthOf(secondary.name());
            assertThat(seen.path("url").asString("")).as("url of %s in /health", secondary.name())
                    .isEqualTo(secondary.url().toString());
            assertThat(seen.path("role").asString("")).isEqualTo("secondary");
            assertThat(seen.hasNonNull("lastHeartbeat")).as("lastHeartbeat of %s: %s", secondary.name(), seen)
                    .isTrue();
        }
        assertThat(master.statusOf(ReplogCluster.FAULTY_SECONDARY)).isEqualTo("HEALTHY");

        cluster.node(ReplogCluster.FAULTY_SECONDARY).kill();
        List<Look> looks = new CopyOnWriteArrayList<>();
        await("faulty-secondary to be UNHEALTHY").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    JsonNode h = master.health();
                    JsonNode node = null;
                    for (JsonNode n : h.path("nodes")) {
                        if (ReplogCluster.FAULTY_SECONDARY.equals(n.path("name").asString(""))) {
                            node = n;
                        }
                    }
                    Look look = new Look(node == null ? "" : node.path("status").asString(""),
                            h.path("nodesUp").asInt(-1), h.path("mode").asString(""));
                    looks.add(look);
                    return look.status().equals("UNHEALTHY");
                });
        List<String> transitions = new ArrayList<>();
        for (Look look : looks) {
            if (transitions.isEmpty() || !transitions.get(transitions.size() - 1).equals(look.status())) {
                transitions.add(look.status());
            }
        }
        if (transitions.get(0).equals("HEALTHY")) {
            transitions.remove(0);
        }
        assertThat(transitions).as("statuses after the kill, looked at every 20 ms: %s", looks)
                .containsExactly("SUSPECTED", "UNHEALTHY");
        for (Look look : looks) {
            int expectedUp = look.status().equals("UNHEALTHY") ? 2 : 3;
            assertThat(look.nodesUp()).as("nodesUp while faulty-secondary is %s", look.status()).isEqualTo(expectedUp);
            assertThat(look.mode()).as("mode with one secondary down").isEqualTo("READ_WRITE");
        }

        cluster.node(ReplogCluster.FAULTY_SECONDARY).start();
        cluster.awaitStatus("HEALTHY", ReplogCluster.FAULTY_SECONDARY);
        assertThat(master.health().path("nodesUp").asInt()).isEqualTo(3);
        assertThat(master.healthOf(ReplogCluster.FAULTY_SECONDARY).hasNonNull("lastHeartbeat")).isTrue();
    }

    @Test
    @DisplayName("without a quorum writes are refused with 503 READ_ONLY and change nothing, reads keep working, "
            + "and writes resume by themselves when a secondary returns")
    void readOnlyWithoutQuorumAndBackWithIt() {
        ReplogClient master = cluster.client();
        Written.created(master.write("before-quorum-loss", 3), 3, N);
        List<LogEntry> before = master.messages();

        cluster.node(ReplogCluster.SECONDARY).kill();
        cluster.node(ReplogCluster.FAULTY_SECONDARY).kill();
        await("master to be READ_ONLY").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> "READ_ONLY".equals(master.health().path("mode").asString("")));
        JsonNode health = master.health();
        assertThat(health.path("nodesUp").asInt()).isEqualTo(1);
        assertThat(health.path("quorum").asInt()).isEqualTo(2);

        for (Object w : new Object[] {1, "majority"}) {
            HttpResult refused = master.write("refused-" + w, w);
            JsonNode problem = assertProblem(refused, 503);
            assertThat(problem.path("mode").asString("")).as("mode in %s", refused).isEqualTo("READ_ONLY");
            assertThat(problem.path("nodesUp").asInt(-1)).as("nodesUp in %s", refused).isEqualTo(1);
            assertThat(problem.path("quorum").asInt(-1)).as("quorum in %s", refused).isEqualTo(2);
        }
        assertThat(master.messages()).as("log after refused writes").isEqualTo(before);
        HttpResult read = master.get("/messages/" + before.size());
        assertThat(read.status()).as("GET one entry while read-only: %s", read).isEqualTo(200);
        assertThat(LogEntry.of(read.json())).isEqualTo(before.get(before.size() - 1));

        // One secondary back: the quorum returns and writes go through without any operator action.
        cluster.node(ReplogCluster.SECONDARY).start();
        await("master to be READ_WRITE again").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> "READ_WRITE".equals(master.health().path("mode").asString("")));
        Written back = Written.created(master.write("after-quorum-returned", 2), 2, N);
        // acks from the restarted (empty) secondary mean it caught up with everything before.
        List<LogEntry> shown = cluster.node(ReplogCluster.SECONDARY).client().messages();
        assertThat(shown.size()).isGreaterThanOrEqualTo((int) back.seq());
        assertThat(shown.subList(0, before.size())).isEqualTo(before);
        assertThat(master.messages()).extracting(LogEntry::message)
                .doesNotContain("refused-1", "refused-majority")
                .endsWith("after-quorum-returned");
    }

    @Test
    @DisplayName("a w=3 write while one secondary is down but the quorum holds is not rejected: "
            + "it waits and completes when the node returns")
    void w3WaitsForTheMissingNode() throws Exception {
        ReplogClient master = cluster.client();
        NodeProcess faulty = cluster.node(ReplogCluster.FAULTY_SECONDARY);
        faulty.kill();
        cluster.awaitStatus("UNHEALTHY", ReplogCluster.FAULTY_SECONDARY);

        CompletableFuture<HttpResult> w3 = master.writeAsync("w3-while-one-down", 3);
        await("the w=3 write to wait").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(4))
                .until(() -> !w3.isDone());
        Written.created(master.write("w2-while-one-down", 2), 2, N);
        assertThat(w3).isNotDone();

        faulty.start();
        Written done = Written.created(w3.get(60, TimeUnit.SECONDS), 3, N);
        assertThat(done.acks()).isEqualTo(3);
        assertThat(faulty.client().messages()).extracting(LogEntry::message).contains("w3-while-one-down");
    }

    @Test
    @DisplayName("a write whose timeoutMs passes first answers 504 with seq and acks; the entry stays "
            + "in the master's log and reaches the secondary when it returns")
    void timedOutWriteStaysAndKeepsReplicating() {
        ReplogClient master = cluster.client();
        NodeProcess faulty = cluster.node(ReplogCluster.FAULTY_SECONDARY);
        faulty.kill();
        cluster.awaitStatus("UNHEALTHY", ReplogCluster.FAULTY_SECONDARY);

        HttpResult timedOut = master.postJson("/messages", Map.of("message", "timed-out", "w", 3, "timeoutMs", 300));
        JsonNode problem = assertProblem(timedOut, 504);
        assertThat(problem.path("seq").isIntegralNumber()).as("seq in %s", timedOut).isTrue();
        assertThat(problem.path("acks").isIntegralNumber()).as("acks in %s", timedOut).isTrue();
        assertThat(problem.path("w").asInt(-1)).as("w in %s", timedOut).isEqualTo(3);
        long seq = problem.get("seq").longValue();
        assertThat(problem.get("acks").intValue()).as("acks in %s", timedOut).isBetween(1, 2);

        HttpResult kept = master.get("/messages/" + seq);
        assertThat(kept.status()).as("GET /messages/%d after the 504: %s", seq, kept).isEqualTo(200);
        LogEntry entry = LogEntry.of(kept.json());
        assertThat(entry.message()).isEqualTo("timed-out");
        // The other secondary is up: the entry keeps replicating to it.
        await("the timed-out entry to reach the running secondary").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> cluster.node(ReplogCluster.SECONDARY).client().messages().contains(entry));

        faulty.start();
        await("the timed-out entry to reach the returning faulty-secondary").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> faulty.client().messages().contains(entry));
        cluster.awaitConverged(Duration.ofSeconds(30));
    }
}
