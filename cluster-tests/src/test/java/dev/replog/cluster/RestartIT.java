package dev.replog.cluster;

import static dev.replog.cluster.fixture.LogChecks.assertWellFormed;
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
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Nodes restarted after SIGKILL come back with what their disk holds: a secondary shows its log
 * and reports its true {@code ackedSeq} before the master has re-sent anything (the master is
 * frozen meanwhile), and a master keeps its log, its next seq, ids above every id it gave out and
 * the Idempotency-Keys of its entries. One cluster serves every test; each starts from every node
 * running and healthy.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Restart with the same data dir")
class RestartIT {

    private static final int N = 3;
    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.standard(RestartIT.class)
                .start();
    }

    @BeforeEach
    void everyNodeRunsAndIsHealthy() {
        cluster.heal();
    }

    @ParameterizedTest(name = "the {0}")
    @ValueSource(strings = {ReplogCluster.SECONDARY, ReplogCluster.FAULTY_SECONDARY})
    @DisplayName("a secondary killed with SIGKILL shows its whole log and reports its ackedSeq, lastId and epoch from "
            + "disk right after it starts, before the master has re-sent anything")
    void secondaryRestartsWithItsLog(String name) {
        ReplogClient master = cluster.client();
        for (int i = 1; i <= 10; i++) {
            Written.created(master.write("restart-" + name + "-" + i, 3), 3, N);
        }
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(30));
        LogEntry last = log.get(log.size() - 1);
        long epoch = master.health().path("epoch").asLong(-1);
        NodeProcess secondary = cluster.node(name);
        NodeProcess masterNode = cluster.master();

        masterNode.pause();
        try {
            secondary.kill();
            secondary.start();
            // Nothing can have come from the master: it is frozen.
            JsonNode status = secondary.client().replicationStatus();
            assertThat(status.path("ackedSeq").asLong(-1)).as("ackedSeq of %s right after its restart: %s", name,
                    status).isEqualTo(last.seq());
            assertThat(status.path("lastId").asLong(-1)).as("lastId of %s right after its restart: %s", name, status)
                    .isEqualTo(last.id());
            assertThat(status.path("epoch").asLong(-1)).as("epoch of %s right after its restart: %s", name, status)
                    .isEqualTo(epoch);
            assertThat(secondary.client().messages()).as("log of %s right after its restart", name).isEqualTo(log);
        } finally {
            masterNode.resume();
        }

        cluster.awaitStatus("HEALTHY", name);
        cluster.awaitReadWrite();
        Written after = Written.created(master.write("restart-" + name + "-after", 3), 3, N);
        assertThat(after.seq()).isEqualTo(last.seq() + 1);
        await("the master to see " + name + " at its ackedSeq").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .untilAsserted(() -> assertThat(master.healthOf(name).path("ackedSeq").asLong(-1))
                        .isEqualTo(after.seq()));
        List<LogEntry> converged = cluster.awaitConverged(Duration.ofSeconds(30));
        assertWellFormed("master", converged);
        assertThat(converged.subList(0, log.size())).isEqualTo(log);
    }

    @Test
    @DisplayName("a master killed with SIGKILL keeps its log, takes a higher epoch, continues at the next seq with "
            + "larger ids, and answers an Idempotency-Key replayed after the restart with 200 and the original "
            + "seq and id, appending nothing")
    void masterRestartsWithItsLogAndIdempotencyKeys() {
        ReplogClient master = cluster.client();
        String key = "restart-key-" + System.nanoTime();
        HttpResult first = master.write("restart-keyed", 2, key);
        Written keyed = Written.created(first, 2, N);
        // Entries after the keyed one, so that the replay cannot just look at the last entry.
        Written.created(master.write("restart-unkeyed-1", 1), 1, N);
        Written.created(master.write("restart-unkeyed-2", 3), 3, N);
        HttpResult replayBefore = master.write("restart-keyed", 2, key);
        keyed.assertReplayedBy(replayBefore, "before the restart");
        List<LogEntry> before = master.messages();
        long epochBefore = master.health().path("epoch").asLong(-1);
        LogEntry last = before.get(before.size() - 1);

        NodeProcess masterNode = cluster.master();
        masterNode.kill();
        masterNode.start();
        cluster.awaitReadWrite();

        assertThat(master.messages()).as("the restarted master's log").isEqualTo(before);
        long epochAfter = master.health().path("epoch").asLong(-1);
        assertThat(epochAfter).as("epoch after the restart (before: %d)", epochBefore).isGreaterThan(epochBefore);
        assertThat(master.health().path("lastSeq").asLong(-1)).as("lastSeq in /health after the restart")
                .isEqualTo(last.seq());

        HttpResult replay = master.write("restart-keyed", 2, key);
        keyed.assertReplayedBy(replay, "after the restart");
        assertThat(master.messages()).as("the log after the replay: nothing appended").isEqualTo(before);

        Written fresh = Written.created(master.write("restart-fresh", 2, key + "-fresh"), 2, N);
        assertThat(fresh.seq()).as("seq of the first new write after the restart").isEqualTo(last.seq() + 1);
        assertThat(fresh.id()).as("id of the first new write after the restart (last id before: %d)", last.id())
                .isGreaterThan(last.id());
        keyed.assertReplayedBy(master.write("restart-keyed", 2, key), "after the restart and a new write");

        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(30));
        assertWellFormed("master", log);
        assertThat(log).extracting(LogEntry::message).containsOnlyOnce("restart-keyed");
        assertThat(log.get((int) keyed.seq() - 1)).isEqualTo(new LogEntry(keyed.seq(), keyed.id(), "restart-keyed"));
    }
}
