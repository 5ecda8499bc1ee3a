package dev.replog.cluster;

import static dev.replog.cluster.fixture.LogChecks.assertPrefix;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The assignment's self-check, step by step: the master knows two secondaries but only one runs;
 * a w=3 write waits for the second while w=1 and w=2 writes go through; once the faulty-secondary
 * starts, the waiting write completes and all three nodes hold the same four messages.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("The assignment's self-check")
class AssignmentSelfCheckIT {

    private static final int N = 3;

    @Test
    @DisplayName("Msg3 with w=3 waits for the faulty-secondary while Msg4 with w=1 answers at once; "
            + "then all three nodes show [Msg1, Msg2, Msg3, Msg4]")
    void theSelfCheckPassesStepByStep() throws Exception {
        try (ReplogCluster cluster = ReplogCluster.standard(getClass())
                .notStarted(ReplogCluster.FAULTY_SECONDARY)
                .start()) {
            ReplogClient master = cluster.client();
            ReplogClient secondary = cluster.node(ReplogCluster.SECONDARY).client();

            // Msg1 w=1 and Msg2 w=2 are acknowledged at once.
            Written msg1 = Written.created(master.write("Msg1", 1), 1, N);
            assertThat(msg1.seq()).isEqualTo(1);
            Written msg2 = Written.created(master.write("Msg2", 2), 2, N);
            assertThat(msg2.seq()).isEqualTo(2);
            assertThat(msg2.id()).isGreaterThan(msg1.id());
            // w=2 means the secondary itself acknowledged Msg2, so it shows it now, without waiting.
            assertThat(secondary.texts()).as("secondary right after Msg2 (w=2) was acknowledged")
                    .containsExactly("Msg1", "Msg2");

            // Msg3 w=3 cannot complete: the third node is not running.
            CompletableFuture<HttpResult> msg3 = master.writeAsync("Msg3", 3);
            await("master to append Msg3").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> master.texts().contains("Msg3"));
            await("Msg3 (w=3) to keep waiting").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> !msg3.isDone());

            // Msg4 w=1 answers at once while Msg3 waits.
            long started = System.nanoTime();
            Written msg4 = Written.created(master.write("Msg4", 1), 1, N);
            Duration msg4Took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(msg4.seq()).isEqualTo(4);
            assertThat(msg3).as("Msg3 (w=3) after Msg4 was acknowledged").isNotDone();
            assertThat(msg4Took).as("time to acknowledge Msg4 (w=1)").isLessThan(Duration.ofSeconds(3));

            // The master shows every entry it appended, acknowledged or not.
            List<LogEntry> masterLog = master.messages();
            assertThat(masterLog).extracting(LogEntry::message).containsExactly("Msg1", "Msg2", "Msg3", "Msg4");
            assertWellFormed("master", masterLog);

            // The secondary shows Msg1, Msg2 and never Msg4 without Msg3: always a prefix of the master.
            await("secondary to show the master's four entries, a prefix at every look")
                    .atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> {
                        List<LogEntry> shown = secondary.messages();
                        assertPrefix(ReplogCluster.SECONDARY, shown, masterLog);
                        assertThat(shown).hasSize(4);
                    });
            assertThat(msg3).as("Msg3 (w=3) while the faulty-secondary is still down").isNotDone();
            assertThat(cluster.client().statusOf(ReplogCluster.FAULTY_SECONDARY)).isEqualTo("UNHEALTHY");

            // Start the faulty-secondary: it catches up and Msg3 completes with three acks.
            NodeProcess faulty = cluster.node(ReplogCluster.FAULTY_SECONDARY).start();
            HttpResult msg3Answer = msg3.get(60, TimeUnit.SECONDS);
            Written msg3Written = Written.created(msg3Answer, 3, N);
            assertThat(msg3Written.seq()).isEqualTo(3);
            assertThat(msg3Written.acks()).isEqualTo(3);
            // acks=3 means the faulty-secondary holds 1..3 (its watermark is a contiguous prefix).
            List<LogEntry> faultyShows = faulty.client().messages();
            assertPrefix(ReplogCluster.FAULTY_SECONDARY, faultyShows, masterLog);
            assertThat(faultyShows).as("faulty-secondary right after Msg3 (w=3) completed")
                    .hasSizeGreaterThanOrEqualTo(3);

            await("all three nodes to show exactly [Msg1, Msg2, Msg3, Msg4]")
                    .atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> {
                        for (NodeProcess node : cluster.nodes()) {
                            List<LogEntry> shown = node.client().messages();
                            assertPrefix(node.name(), shown, masterLog);
                            assertThat(shown).as("log of %s", node.name()).isEqualTo(masterLog);
                        }
                    });
            assertThat(master.messages()).isEqualTo(masterLog);
        }
    }
}
