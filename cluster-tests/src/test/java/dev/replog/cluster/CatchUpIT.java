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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A secondary that missed entries catches up by itself: after a crash (SIGKILL) and a restart on
 * the same port with an empty log, and after a freeze (SIGSTOP) longer than the unhealthy threshold.
 * One cluster serves both tests; each starts from every node running and healthy.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Catch-up of a secondary")
class CatchUpIT {

    private static final int N = 3;
    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.standard(CatchUpIT.class)
                .start();
    }

    @BeforeEach
    void everyNodeRunsAndIsHealthy() {
        cluster.heal();
    }

    @Test
    @DisplayName("a secondary killed with SIGKILL and restarted on the same port converges to the master's full log "
            + "by itself, and w=2 writes succeed while it is down")
    void killedSecondaryCatchesUpAfterRestart() {
        ReplogClient master = cluster.client();
        NodeProcess secondary = cluster.node(ReplogCluster.SECONDARY);
        ReplogClient faulty = cluster.node(ReplogCluster.FAULTY_SECONDARY).client();
        Written.created(master.write("before-kill", 3), 3, N);
        int port = secondary.port();

        secondary.kill();
        Written.created(master.write("while-down-w1", 1), 1, N);
        Written whileDown = Written.created(master.write("while-down-w2", 2), 2, N);
        // The only other node that can have acknowledged it is the faulty-secondary: it shows it now.
        assertThat(faulty.messages()).extracting(LogEntry::message).contains("while-down-w2");
        List<CompletableFuture<HttpResult>> more = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            more.add(master.writeAsync("while-down-" + i, i % 2 + 1));
        }
        more.forEach(f -> assertThat(f.join().status()).as("answer %s", f.join()).isEqualTo(201));

        secondary.start();
        assertThat(secondary.port()).isEqualTo(port);
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(60));
        assertWellFormed("master", log);
        assertThat(log).extracting(LogEntry::message).contains("before-kill", "while-down-w1", "while-down-w2");
        assertThat(log.size()).isGreaterThanOrEqualTo((int) whileDown.seq() + 20);
        cluster.awaitStatus("HEALTHY", ReplogCluster.SECONDARY);
        await("master to see the secondary with lag 0").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .untilAsserted(() -> {
                    JsonNode seen = master.healthOf(ReplogCluster.SECONDARY);
                    assertThat(seen.path("ackedSeq").asLong()).isEqualTo(master.health().path("lastSeq").asLong());
                    assertThat(seen.path("lag").asLong(-1)).isZero();
                });

        // And it takes part in acknowledgements again.
        Written after = Written.created(master.write("after-restart", 3), 3, N);
        assertThat(after.acks()).isEqualTo(3);
    }

    @Test
    @DisplayName("a secondary paused with SIGSTOP until the master marks it UNHEALTHY catches up after SIGCONT, "
            + "and a w=3 write sent during the pause completes after the resume")
    void pausedSecondaryCatchesUpAfterResume() throws Exception {
        ReplogClient master = cluster.client();
        NodeProcess secondary = cluster.node(ReplogCluster.SECONDARY);

        secondary.pause();
        cluster.awaitStatus("UNHEALTHY", ReplogCluster.SECONDARY);
        Written.created(master.write("paused-w1", 1), 1, N);
        Written.created(master.write("paused-w2", 2), 2, N);
        CompletableFuture<HttpResult> w3 = master.writeAsync("paused-w3", 3);
        await("the w=3 write to wait while the secondary is frozen").during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3)).until(() -> !w3.isDone());
        List<CompletableFuture<HttpResult>> more = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            more.add(master.writeAsync("paused-more-" + i, 1));
        }
        more.forEach(f -> assertThat(f.join().status()).as("answer %s", f.join()).isEqualTo(201));
        assertThat(w3).as("the w=3 write while the secondary is frozen").isNotDone();

        secondary.resume();
        cluster.awaitStatus("HEALTHY", ReplogCluster.SECONDARY);
        Written done = Written.created(w3.get(60, TimeUnit.SECONDS), 3, N);
        assertThat(done.acks()).isEqualTo(3);
        // acks=3: the secondary's contiguous prefix reaches the w=3 entry.
        List<LogEntry> shown = secondary.client().messages();
        assertPrefix(ReplogCluster.SECONDARY, shown, master.messages());
        assertThat(shown.size()).isGreaterThanOrEqualTo((int) done.seq());
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(60));
        assertWellFormed("master", log);
        assertThat(log).extracting(LogEntry::message).contains("paused-w1", "paused-w2", "paused-w3", "paused-more-9");
    }
}
