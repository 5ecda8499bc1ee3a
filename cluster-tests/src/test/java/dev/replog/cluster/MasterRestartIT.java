package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A master that restarts without its log (storage is in memory in this version) takes a new epoch
 * and new, higher ids; the secondaries still hold the old master's entries. Its acknowledgements
 * must count only nodes that hold <em>its</em> entries: the old entries at the same seqs are
 * rolled back, never mistaken for acks, and every node ends with the new master's log.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Restart of the master with an empty log")
class MasterRestartIT {

    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.builder(MasterRestartIT.class)
                .secondary("secondary")
                .faultySecondary("faulty-secondary")
                .start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @DisplayName("entries left by the old master are rolled back, not counted as acks for the new master's entries")
    void oldEntriesAreRolledBackAndNeverCountedAsAcks() {
        cluster.heal();
        long oldMaxId = 0;
        for (int i = 1; i <= 5; i++) {
            oldMaxId = Written.created(cluster.client().write("old-" + i, 3), 3, 3).id();
        }
        long oldEpoch = cluster.client().health().path("epoch").longValue();

        NodeProcess master = cluster.master();
        master.kill();
        master.start();
        cluster.heal();
        assertThat(cluster.client().health().path("epoch").longValue()).isGreaterThan(oldEpoch);
        assertThat(cluster.client().messages()).as("the restarted master's in-memory log").isEmpty();

        Written fresh = Written.created(cluster.client().write("new-1", 2), 2, 3);
        assertThat(fresh.seq()).isEqualTo(1);
        assertThat(fresh.id()).as("ids keep increasing across master restarts").isGreaterThan(oldMaxId);
        assertThat(acksFromSecondaries(fresh)).as("a secondary that acknowledged seq 1 holds the new entry there")
                .isGreaterThanOrEqualTo(1);

        Written all = Written.created(cluster.client().write("new-2", 3), 3, 3);
        for (NodeProcess secondary : cluster.secondaries()) {
            assertThat(secondary.client().messages())
                    .as("%s right after the w=3 answer", secondary.name())
                    .contains(new LogEntry(all.seq(), all.id(), "new-2"))
                    .noneMatch(entry -> entry.message().startsWith("old-"));
        }

        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(30));
        assertThat(log).extracting(LogEntry::message).containsExactly("new-1", "new-2");
    }

    /** How many secondaries show exactly the new entry at its seq right now. */
    private static long acksFromSecondaries(Written written) {
        return cluster.secondaries().stream()
                .filter(node -> node.client().messages().contains(new LogEntry(written.seq(), written.id(), "new-1")))
                .count();
    }
}
