package dev.replog.cluster;

import static dev.replog.cluster.fixture.LogChecks.assertWellFormed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.LogEntry;
import dev.replog.cluster.fixture.NodeProcess;
import dev.replog.cluster.fixture.ReplogClient;
import dev.replog.cluster.fixture.ReplogCluster;
import dev.replog.cluster.fixture.WriteLoad;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every node is crashed with SIGKILL and restarted on the same port with the same data dir while
 * eight clients write without pause with w = 1, 2 or 3: first the secondary, then the
 * faulty-secondary, then the master. No acknowledged write may be lost, moved or duplicated: the
 * master keeps its disk, so even w=1 writes must survive.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Durability under crashes")
class DurabilityUnderCrashesIT {

    private static final int N = 3;
    private static final int CLIENTS = 8;
    /** w=3 writes while a secondary is down answer 504 after this instead of waiting for it. */
    private static final long WRITE_TIMEOUT_MS = 2_000;
    private static final int ACKS_PER_PHASE = 25;
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(60);

    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.standard(DurabilityUnderCrashesIT.class)
                .start();
    }

    @Test
    @DisplayName("under concurrent writes with mixed w, kill -9 and restart of the secondary, then the faulty-secondary, "
            + "then the master loses no acknowledged write: every node ends with the same gap-free log holding each "
            + "acknowledged write once, at the seq and with the id it was acknowledged with")
    void acknowledgedWritesSurviveKillsOfEveryNode() {
        cluster.heal();
        ReplogClient master = cluster.client();
        WriteLoad load = new WriteLoad(master, CLIENTS, N, WRITE_TIMEOUT_MS, "dur").start();
        long started = System.nanoTime();
        try {
            load.awaitMoreAcks(ACKS_PER_PHASE, "with every node up", PHASE_TIMEOUT);
            load.assertNoUnexpectedAnswers();

            for (String name : List.of(ReplogCluster.SECONDARY, ReplogCluster.FAULTY_SECONDARY)) {
                NodeProcess node = cluster.node(name);
                load.phase(name + " killed");
                node.kill();
                load.awaitMoreAcks(ACKS_PER_PHASE, "while " + name + " is down", PHASE_TIMEOUT);
                load.assertNoUnexpectedAnswers();
                node.start();
                load.phase(name + " restarted");
                cluster.awaitStatus("HEALTHY", name);
                cluster.awaitReadWrite();
                load.awaitMoreAcks(ACKS_PER_PHASE, "after " + name + " restarted", PHASE_TIMEOUT);
                load.assertNoUnexpectedAnswers();
            }

            long epochBefore = master.health().path("epoch").asLong(-1);
            assertThat(epochBefore).as("the master's epoch in /health before its crash").isPositive();
            NodeProcess masterNode = cluster.master();
            load.phase("master killed");
            masterNode.kill();
            masterNode.start();
            load.phase("master restarted");
            cluster.awaitReadWrite();
            long epochAfter = master.health().path("epoch").asLong(-1);
            assertThat(epochAfter).as("the restarted master's epoch (before the crash: %d)", epochBefore)
                    .isGreaterThan(epochBefore);
            load.awaitMoreAcks(ACKS_PER_PHASE, "after the master restarted", PHASE_TIMEOUT);
            load.assertNoUnexpectedAnswers();
        } finally {
            load.stop(Duration.ofSeconds(30));
            System.out.printf("DurabilityUnderCrashesIT: %s in %d s%n", load,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
        load.assertNoUnexpectedAnswers();

        cluster.heal();
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(90));
        assertWellFormed("master", log);
        for (NodeProcess node : cluster.nodes()) {
            List<LogEntry> shown = node.client().messages();
            assertWellFormed(node.name(), shown);
            assertThat(shown).as("log of %s after convergence (%d entries; master has %d)", node.name(),
                    shown.size(), log.size()).isEqualTo(log);
        }

        List<WriteLoad.Ack> acked = load.acked();
        assertThat(load.ackedByW()).as("acknowledged writes by w: the load exercised every write concern")
                .containsKeys(1, 2, 3);
        assertThat(acked).extracting(WriteLoad.Ack::phase).as("phases in which writes were acknowledged")
                .contains("secondary killed", "faulty-secondary killed", "master restarted");
        Map<String, LogEntry> bySeqMessage = new HashMap<>();
        log.forEach(entry -> bySeqMessage.put(entry.message(), entry));
        for (WriteLoad.Ack ack : acked) {
            LogEntry expected = new LogEntry(ack.seq(), ack.id(), ack.message());
            assertThat(ack.seq()).as("seq of %s within the final log of %d entries", ack, log.size())
                    .isBetween(1L, (long) log.size());
            assertThat(log.get((int) ack.seq() - 1))
                    .as("entry at the seq of acknowledged write %s (w=%d%s); the message is in the log as %s", ack,
                            ack.w(), ack.w() == 1 ? ", kept on the master's disk" : "",
                            bySeqMessage.get(ack.message()))
                    .isEqualTo(expected);
        }

        // Nothing in the log that no client sent, and nothing that the master refused with 503.
        Set<String> mayBeThere = new HashSet<>(load.unknown());
        acked.forEach(ack -> mayBeThere.add(ack.message()));
        Set<String> refused = load.refused();
        for (LogEntry entry : log) {
            assertThat(refused).as("a write refused with 503 never shows up, but %s does", entry)
                    .doesNotContain(entry.message());
            assertThat(mayBeThere).as("entry %s was sent by a client and not refused", entry)
                    .contains(entry.message());
        }

        // The new master's epoch reached every secondary: they follow it, not the crashed one.
        long epoch = cluster.client().health().path("epoch").asLong(-1);
        for (NodeProcess secondary : cluster.secondaries()) {
            assertThat(secondary.client().replicationStatus().path("epoch").asLong(-1))
                    .as("epoch accepted by %s", secondary.name()).isEqualTo(epoch);
        }
    }
}
