package dev.replog.cluster;

import static dev.replog.cluster.fixture.LogChecks.append;
import static dev.replog.cluster.fixture.LogChecks.assertProblem;
import static dev.replog.cluster.fixture.LogChecks.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.HttpResult;
import dev.replog.cluster.fixture.LogEntry;
import dev.replog.cluster.fixture.NodeProcess;
import dev.replog.cluster.fixture.ReplogClient;
import dev.replog.cluster.fixture.ReplogCluster;
import dev.replog.cluster.fixture.Written;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A master that lost its place (an older epoch) is refused by the secondaries: once a master with
 * epoch E has replicated to them, a batch sent with epoch E-1 — the epoch of the master before the
 * restart — gets 409 with their {@code ackedSeq} and {@code epoch} E and changes nothing, even a
 * batch that claims the log ends earlier (which from a current master would roll entries back).
 * The secondaries are driven directly through {@code POST /replication/append}; the same holds
 * after a secondary is killed with SIGKILL and restarted while the master is frozen, so the
 * epoch it refuses with comes from its own disk, not from the master. The other side: a running
 * master that learns a secondary follows a higher epoch (a newer master has taken over) takes no
 * more writes until a restart gives it a new epoch.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("A stale master")
class StaleMasterIT {

    private static final int N = 3;
    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        // two faulty secondaries: a test fails every append to both while heartbeats still answer
        cluster = ReplogCluster.builder(StaleMasterIT.class)
                .faultySecondary(ReplogCluster.FAULTY_SECONDARY + "-1")
                .faultySecondary(ReplogCluster.FAULTY_SECONDARY + "-2")
                .start();
    }

    @Test
    @DisplayName("is refused by every secondary with 409 problem+json carrying the current epoch and the secondary's "
            + "ackedSeq, leaving its log unchanged, before and after the secondary restarts")
    void staleEpochIsRefusedBeforeAndAfterARestart() {
        cluster.heal();
        ReplogClient master = cluster.client();
        Written.created(master.write("stale-old-epoch", 3), 3, N);
        long oldEpoch = master.health().path("epoch").asLong(-1);
        assertThat(oldEpoch).as("epoch of the first master").isPositive();

        // The master restarts: a new master with a higher epoch; the old epoch is now stale.
        NodeProcess masterNode = cluster.master();
        masterNode.kill();
        masterNode.start();
        cluster.heal();
        long epoch = master.health().path("epoch").asLong(-1);
        assertThat(epoch).as("epoch of the restarted master (the first had %d)", oldEpoch).isGreaterThan(oldEpoch);
        for (int i = 1; i <= 5; i++) {
            Written.created(master.write("stale-new-epoch-" + i, 3), 3, N);
        }
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(30));
        for (NodeProcess secondary : cluster.secondaries()) {
            assertThat(secondary.client().replicationStatus().path("epoch").asLong(-1))
                    .as("epoch accepted by %s", secondary.name()).isEqualTo(epoch);
            assertStaleRefused(secondary, epoch - 1, epoch, log, "while the master runs");
        }

        // Freeze the master so that nothing reaches the secondaries but the stale batches, then crash
        // and restart each: the epoch they refuse with must come from their disk.
        masterNode.pause();
        try {
            for (NodeProcess secondary : cluster.secondaries()) {
                secondary.kill();
                secondary.start();
                JsonNode status = secondary.client().replicationStatus();
                assertThat(status.path("epoch").asLong(-1)).as("epoch of %s right after its restart: %s",
                        secondary.name(), status).isEqualTo(epoch);
                assertStaleRefused(secondary, epoch - 1, epoch, log, "after a kill -9 and restart");
                assertStaleRefused(secondary, oldEpoch, epoch, log, "after a kill -9 and restart, first epoch");
            }
        } finally {
            masterNode.resume();
        }

        // The current master is still followed.
        cluster.heal();
        Written after = Written.created(master.write("stale-after-restarts", 3), 3, N);
        assertThat(after.seq()).isEqualTo(log.size() + 1L);
        List<LogEntry> converged = cluster.awaitConverged(Duration.ofSeconds(30));
        assertThat(converged.subList(0, log.size())).isEqualTo(log);
    }

    @Test
    @DisplayName("that a newer master has superseded (a secondary follows a higher epoch) answers 503 Superseded to "
            + "writes instead of acknowledging them alone, and rejoins with a new epoch after a restart")
    void supersededMasterTakesNoWritesUntilRestarted() throws IOException {
        ReplogClient master = cluster.client();
        Converged before = convergedAfter("before-superseded");
        long epoch = before.epoch();
        List<LogEntry> log = before.log();
        LogEntry last = before.last();

        // A newer master's first word to one secondary: an empty batch with a higher epoch that
        // agrees with the log as it is (so it rolls nothing back).
        NodeProcess secondary = cluster.secondaries().get(0);
        Map<String, Object> newerMaster = new LinkedHashMap<>();
        newerMaster.put("epoch", epoch + 10);
        newerMaster.put("prevSeq", last.seq());
        newerMaster.put("prevId", last.id());
        newerMaster.put("entries", List.of());
        newerMaster.put("masterLastSeq", last.seq());
        assertThat(secondary.client().postJson("/replication/append", newerMaster).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(master.mode())
                .as("mode of the master once its heartbeat hears epoch %d", epoch + 10).isEqualTo("READ_ONLY"));
        for (Object w : List.of(1, 3)) {
            JsonNode problem = assertProblem(master.write("after-superseded-w" + w, w), 503);
            assertThat(problem.path("title").asString("")).isEqualTo("Superseded");
            assertThat(problem.path("detail").asString("")).contains(secondary.name(), "epoch " + (epoch + 10));
        }
        assertThat(master.messages()).as("the master's log: nothing appended once superseded").isEqualTo(log);
        assertThat(Files.readString(cluster.master().logFile()))
                .contains(secondary.name() + " has accepted epoch " + (epoch + 10) + " from a newer master");

        // A restart takes an epoch above every epoch a secondary reports, and the master leads again.
        NodeProcess masterNode = cluster.master();
        masterNode.kill();
        masterNode.start();
        cluster.heal();
        assertThat(master.health().path("epoch").asLong(-1)).isGreaterThan(epoch + 10);
        Written after = Written.created(master.write("after-restart", 3), 3, N);
        assertThat(after.seq()).isEqualTo(log.size() + 1L);
        List<LogEntry> converged = cluster.awaitConverged(Duration.ofSeconds(30));
        assertThat(converged.subList(0, log.size())).isEqualTo(log);
    }

    @Test
    @DisplayName("restarted after a newer master has led takes that master's log: it waits for every secondary and "
            + "drops the entries of its own that no secondary holds, instead of rolling back the newer master's writes")
    void restartedAfterANewerMasterLedTakesItsLog() throws IOException {
        ReplogClient master = cluster.client();
        Converged before = convergedAfter("before-newer-master");
        long epoch = before.epoch();
        List<LogEntry> log = before.log();
        LogEntry last = before.last();

        // Every append fails (heartbeats answer): w=1 writes are acknowledged by this master alone.
        for (NodeProcess secondary : cluster.secondaries()) {
            secondary.client().faults(Map.of("errorBeforeAppend", 1.0));
        }
        List<String> ownOnly = List.of("own-only-1", "own-only-2");
        for (String text : ownOnly) {
            Written.created(master.write(text, 1), 1, N);
        }
        NodeProcess masterNode = cluster.master();
        masterNode.kill();
        for (NodeProcess secondary : cluster.secondaries()) {
            secondary.client().faults(Map.of("errorBeforeAppend", 0.0));
        }

        // A newer master leads meanwhile: epoch + 10, and a write that both secondaries hold (w=3).
        LogEntry newer = new LogEntry(last.seq() + 1, last.id() + 1_000, "newer-master-write");
        for (NodeProcess secondary : cluster.secondaries()) {
            HttpResult appended = append(secondary.client(), epoch + 10, last.seq(), last.id(),
                    List.of(entry(newer.seq(), newer.id(), newer.message())));
            assertThat(appended.status()).as("the newer master's append to %s: %s", secondary.name(), appended)
                    .isEqualTo(200);
        }

        masterNode.start();
        cluster.heal();
        assertThat(master.health().path("epoch").asLong(-1)).isGreaterThan(epoch + 10);
        List<LogEntry> expected = new ArrayList<>(log);
        expected.add(newer);
        assertThat(master.messages()).as("the restarted master's log: the newer master's, without its own w=1 "
                + "writes %s that no secondary holds", ownOnly).isEqualTo(expected);
        assertThat(Files.readString(masterNode.logFile())).contains("another master has led since");
        Written after = Written.created(master.write("after-newer-master", 3), 3, N);
        assertThat(after.seq()).isEqualTo(newer.seq() + 1);
        assertThat(after.id()).isGreaterThan(newer.id());
        List<LogEntry> converged = cluster.awaitConverged(Duration.ofSeconds(30));
        assertThat(converged.subList(0, expected.size())).as("the converged log keeps the newer master's write")
                .isEqualTo(expected);
    }

    /** The master's epoch and the log every secondary shows, after a heal and a w=3 write. */
    private record Converged(long epoch, List<LogEntry> log) {
        LogEntry last() {
            return log.get(log.size() - 1);
        }
    }

    private static Converged convergedAfter(String text) {
        cluster.heal();
        ReplogClient master = cluster.client();
        Written.created(master.write(text, 3), 3, N);
        long epoch = master.health().path("epoch").asLong(-1);
        return new Converged(epoch, cluster.awaitConverged(Duration.ofSeconds(30)));
    }

    /**
     * Three batches with a stale epoch, each of which a current master could legitimately send: one
     * that continues the log, one that replaces its last entry, and an empty one that says the
     * master's log ends at seq 1 (a rollback). Each must get 409 and change nothing.
     */
    private static void assertStaleRefused(NodeProcess secondary, long staleEpoch, long epoch, List<LogEntry> log,
            String when) {
        ReplogClient node = secondary.client();
        LogEntry last = log.get(log.size() - 1);
        LogEntry beforeLast = log.get(log.size() - 2);
        LogEntry first = log.get(0);

        HttpResult continuing = append(node, staleEpoch, last.seq(), last.id(),
                List.of(entry(last.seq() + 1, last.id() + 1_000, "stale-continuing")));
        assertRefused(secondary, continuing, epoch, log, when + ", a batch continuing the log");

        HttpResult replacing = append(node, staleEpoch, beforeLast.seq(), beforeLast.id(),
                List.of(entry(last.seq(), last.id() + 1_000, "stale-replacing")));
        assertRefused(secondary, replacing, epoch, log, when + ", a batch replacing the last entry");

        Map<String, Object> rollback = new LinkedHashMap<>();
        rollback.put("epoch", staleEpoch);
        rollback.put("prevSeq", first.seq());
        rollback.put("prevId", first.id());
        rollback.put("entries", List.of());
        rollback.put("masterLastSeq", first.seq());
        HttpResult rollingBack = node.postJson("/replication/append", rollback);
        assertRefused(secondary, rollingBack, epoch, log, when + ", an empty batch saying the log ends at seq 1");
    }

    private static void assertRefused(NodeProcess secondary, HttpResult result, long epoch, List<LogEntry> log,
            String what) {
        String name = secondary.name();
        JsonNode problem = assertProblem(result, 409);
        assertThat(problem.path("epoch").asLong(-1)).as("epoch in the answer of %s to a stale batch (%s): %s", name,
                what, result).isEqualTo(epoch);
        assertThat(problem.path("ackedSeq").asLong(-1)).as("ackedSeq in the answer of %s to a stale batch (%s): %s",
                name, what, result).isEqualTo(log.size());
        assertThat(secondary.client().messages()).as("log of %s after a stale batch (%s)", name, what).isEqualTo(log);
        JsonNode status = secondary.client().replicationStatus();
        assertThat(status.path("ackedSeq").asLong(-1)).as("ackedSeq of %s after a stale batch (%s)", name, what)
                .isEqualTo(log.size());
        assertThat(status.path("epoch").asLong(-1)).as("epoch of %s after a stale batch (%s)", name, what)
                .isEqualTo(epoch);
    }
}
