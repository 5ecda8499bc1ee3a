package dev.replog.cluster;

import static dev.replog.cluster.fixture.LogChecks.assertWellFormed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.HttpResult;
import dev.replog.cluster.fixture.LogChecks;
import dev.replog.cluster.fixture.LogEntry;
import dev.replog.cluster.fixture.NodeProcess;
import dev.replog.cluster.fixture.ReplogClient;
import dev.replog.cluster.fixture.ReplogCluster;
import dev.replog.cluster.fixture.Written;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A node whose disk fills up, for real: the node runs under a file-size limit
 * ({@link NodeProcess#fileSizeLimit}), so the kernel refuses its log writes past it as it would on a
 * full device. The refused write is answered, never half-done; acknowledged writes survive; once
 * the node has room again (its limit lifted while it runs, as freed space) the cluster goes on as
 * one log, without a restart. One cluster serves both tests; each starts from every node running,
 * healthy and without a limit.
 */
@ExtendWith(ClusterExtension.class)
@EnabledOnOs(OS.LINUX)
@DisplayName("A full disk")
class DiskFullIT {

    private static final int N = 3;
    /** Room for the start-up files, a few small writes and three or four big ones. */
    private static final long LIMIT_KIB = 4096;
    /** Under the default 1 MiB message limit; a handful fill {@link #LIMIT_KIB}. */
    private static final int BIG_CHARS = 900_000;
    private static final int MAX_BIG_WRITES = 10;

    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.standard(DiskFullIT.class)
                .start();
    }

    @BeforeEach
    void everyNodeRunsAndIsHealthy() {
        cluster.heal();
    }

    @Test
    @DisplayName("the master whose disk is full answers 507 problem+json saying nothing was appended, shows and "
            + "replicates only the writes it acknowledged, and once there is room takes the same write again, "
            + "every node holding the same log")
    void masterWithAFullDisk() {
        ReplogClient master = cluster.client();
        List<String> acknowledged = new ArrayList<>(master.texts()); // the other test's writes, if it ran first
        for (int i = 1; i <= 3; i++) {
            Written.created(master.write("master-disk-small-" + i, 3), 3, N);
            acknowledged.add("master-disk-small-" + i);
        }
        NodeProcess masterNode = cluster.master();
        masterNode.kill();
        masterNode.fileSizeLimit(LIMIT_KIB);
        try {
            masterNode.start();
            cluster.awaitReadWrite();

            String refusedMessage = null;
            HttpResult refused = null;
            for (int i = 1; i <= MAX_BIG_WRITES && refused == null; i++) {
                String message = big("master-disk-big-" + i);
                HttpResult result = master.write(message, 3);
                if (result.status() == 201) {
                    Written.created(result, 3, N);
                    acknowledged.add(message);
                } else {
                    refused = result;
                    refusedMessage = message;
                }
            }
            assertThat(refused).as("an answer other than 201 within %d writes of %d characters under %d KiB",
                    MAX_BIG_WRITES, BIG_CHARS, LIMIT_KIB).isNotNull();
            assertThat(refused.status()).as("answer to the write that did not fit: %s", refused).isEqualTo(507);
            assertThat(refused.contentType()).isEqualTo("application/problem+json");
            JsonNode problem = refused.json();
            assertThat(problem.path("title").asString("")).isEqualTo("Out of disk space");
            assertThat(problem.path("detail").asString("")).contains("File too large", "nothing was appended");
            assertThat(problem.path("appended").isBoolean() && !problem.path("appended").booleanValue())
                    .as("appended: false in %s", refused).isTrue();

            assertThat(labels(master.texts())).as("the full master's log: the acknowledged writes, nothing of the "
                    + "refused one").isEqualTo(labels(acknowledged));
            assertThat(labels(cluster.awaitConverged(Duration.ofSeconds(30)).stream().map(LogEntry::message).toList()))
                    .as("every node's log").isEqualTo(labels(acknowledged));

            masterNode.liftFileSizeLimit();
            Written.created(master.write(refusedMessage, 3), 3, N);
            acknowledged.add(refusedMessage);
        } finally {
            masterNode.liftFileSizeLimit(); // also when the test failed: the next one starts from a node with room
        }
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(30));
        assertWellFormed("master", log);
        assertThat(labels(log.stream().map(LogEntry::message).toList())).isEqualTo(labels(acknowledged));
    }

    @Test
    @DisplayName("a secondary whose disk is full holds a prefix of the log and does not count: w=2 writes go on, "
            + "a w=3 write answers 504 at its timeout, both nodes log why; once there is room, the secondary "
            + "catches up by itself")
    void secondaryWithAFullDisk() {
        ReplogClient master = cluster.client();
        NodeProcess secondary = cluster.node(ReplogCluster.SECONDARY);
        secondary.kill();
        secondary.fileSizeLimit(LIMIT_KIB);
        try {
            secondary.start();
            cluster.awaitStatus("HEALTHY", ReplogCluster.SECONDARY);
            // w=2: the master and faulty-secondary suffice, so the writes go on past the full secondary
            for (int i = 1; i <= MAX_BIG_WRITES; i++) {
                Written.created(master.write(big("secondary-disk-big-" + i), 2), 2, N);
            }
            List<LogEntry> full = master.messages();
            long lastSeq = full.get(full.size() - 1).seq();
            await("the secondary to stop short of the master's log").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(secondary.client().replicationStatus().path("ackedSeq").asLong(-1))
                            .isPositive().isLessThan(lastSeq));
            LogChecks.assertPrefix(ReplogCluster.SECONDARY, secondary.client().messages(), full);
            // each side says what happened, in its own log
            await("the secondary's and the master's logs to name the full disk").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        assertThat(Files.readString(secondary.logFile())).contains("could not store entries")
                                .contains("File too large");
                        assertThat(Files.readString(cluster.master().logFile()))
                                .contains("secondary answered 507: the node's disk has no room for the write");
                    });

            HttpResult timedOut = master.writeAsync("secondary-disk-w3", 3, 2000).join();
            assertThat(timedOut.status()).as("a w=3 write while the secondary cannot store: %s", timedOut)
                    .isEqualTo(504);
            assertThat(timedOut.json().path("acks").asInt(-1)).isEqualTo(2);
        } finally {
            secondary.liftFileSizeLimit(); // room again: it must catch up by itself (below)
        }
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(60));
        assertWellFormed("master", log);
        assertThat(log.get(log.size() - 1).message()).as("the last entry: the w=3 write that timed out stays")
                .isEqualTo("secondary-disk-w3");
        Written.created(master.write("secondary-disk-after", 3), 3, N);
    }

    /** A message of about {@link #BIG_CHARS} characters: {@code label|xxx...}. */
    private static String big(String label) {
        return label + "|" + "x".repeat(BIG_CHARS);
    }

    /** The messages with a big one's padding cut off, so that a failed comparison stays readable. */
    private static List<String> labels(List<String> messages) {
        return messages.stream().map(message -> message.split("\\|", 2)[0]).toList();
    }
}
