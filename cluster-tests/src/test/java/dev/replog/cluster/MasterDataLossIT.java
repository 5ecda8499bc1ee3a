package dev.replog.cluster;

import static dev.replog.cluster.fixture.LogChecks.assertProblem;
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
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The master loses its disk: it is killed with SIGKILL, its data dir is deleted and it starts
 * again, empty. It must not trust its empty log: it stays RECOVERING until it has heard from every
 * secondary (its own history is gone, so a quorum that counts itself proves nothing), fetches
 * what they hold, keys included, and only then accepts writes. Every w ≥ 2 write is on some
 * secondary, so none is lost, and a retry with its Idempotency-Key is still recognised. One cluster serves both tests; each starts from every node running and healthy.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Loss of the master's data dir")
class MasterDataLossIT {

    private static final int N = 3;
    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.standard(MasterDataLossIT.class)
                .start();
    }

    @BeforeEach
    void everyNodeRunsAndIsHealthy() {
        cluster.heal();
    }

    @Test
    @DisplayName("after kill -9 and a wiped data dir the master is RECOVERING until it hears from every secondary, "
            + "then READ_WRITE with every w≥2 write at its seq and id, its Idempotency-Keys still answered with the "
            + "original entry, a higher epoch, and new writes at the next seq with larger ids")
    void everyW2WriteSurvivesAWipedMaster() {
        ReplogClient master = cluster.client();
        List<Written> written = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            int w = i % 2 == 0 ? 3 : 2;
            String text = "wipe-1-" + i + "-w" + w;
            // every third with an Idempotency-Key, which the recovered master must still know
            written.add(Written.created(i % 3 == 0 ? master.write(text, w, keyOf(text)) : master.write(text, w), w, N));
            texts.add(text);
        }
        List<LogEntry> before = master.messages();
        long epochBefore = master.health().path("epoch").asLong(-1);
        long lastIdBefore = before.get(before.size() - 1).id();

        NodeProcess masterNode = cluster.master();
        masterNode.kill();
        masterNode.wipeDataDir();
        assertThat(Files.exists(masterNode.dataDir())).as("the master's data dir after the wipe").isFalse();
        // A frozen secondary answers nothing: the master cannot have heard from every secondary, so it must
        // stay RECOVERING however fast it is, and the test sees that state for sure.
        NodeProcess frozen = cluster.node(ReplogCluster.FAULTY_SECONDARY);
        frozen.pause();
        masterNode.start();

        JsonNode recovering = master.health();
        assertThat(recovering.path("mode").asString("")).as("mode in /health of the wiped master while %s is frozen: %s",
                frozen.name(), recovering).isEqualTo("RECOVERING");
        HttpResult refused = master.write("wipe-1-refused-while-recovering", 1);
        JsonNode problem = assertProblem(refused, 503);
        assertThat(problem.path("mode").asString("")).as("mode in %s", refused).isEqualTo("RECOVERING");

        List<String> modes = new ArrayList<>();
        frozen.resume();
        await("the wiped master to become READ_WRITE once every secondary answers")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> {
                    String mode = master.mode();
                    if (modes.isEmpty() || !modes.get(modes.size() - 1).equals(mode)) {
                        modes.add(mode);
                    }
                    return mode.equals("READ_WRITE");
                });
        assertThat(modes).as("modes of the wiped master after the frozen secondary resumed").isIn(
                List.of("READ_WRITE"), List.of("RECOVERING", "READ_WRITE"));

        List<LogEntry> recovered = master.messages();
        assertWellFormed("master", recovered);
        for (int i = 0; i < written.size(); i++) {
            Written w = written.get(i);
            assertThat(recovered).as("the recovered master's log holds the w=%d write %s", w.w(), texts.get(i))
                    .contains(new LogEntry(w.seq(), w.id(), texts.get(i)));
        }
        assertThat(recovered).as("the recovered master's log (every write before the wipe had w≥2)").isEqualTo(before);
        assertThat(recovered).extracting(LogEntry::message).doesNotContain("wipe-1-refused-while-recovering");
        long epochAfter = master.health().path("epoch").asLong(-1);
        assertThat(epochAfter).as("epoch of the wiped master (before: %d)", epochBefore).isGreaterThan(epochBefore);
        for (int i = 2; i < written.size(); i += 3) {
            written.get(i).assertReplayedBy(master.write(texts.get(i), written.get(i).w(), keyOf(texts.get(i))),
                    "after the wiped master recovered its log from the secondaries");
        }
        assertThat(master.messages()).as("the log after the replays: nothing appended").isEqualTo(before);

        Written next = Written.created(master.write("wipe-1-after", 2), 2, N);
        assertThat(next.seq()).as("seq of the first write after recovery").isEqualTo(before.size() + 1L);
        assertThat(next.id()).as("id of the first write after recovery (last id before: %d)", lastIdBefore)
                .isGreaterThan(lastIdBefore);
        Written all = Written.created(master.write("wipe-1-after-w3", 3), 3, N);
        assertThat(all.seq()).isEqualTo(before.size() + 2L);
        assertThat(all.id()).isGreaterThan(next.id());

        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(30));
        assertWellFormed("master", log);
        assertThat(log.subList(0, before.size())).as("the converged log starts with the log before the wipe")
                .isEqualTo(before);
        assertThat(log).extracting(LogEntry::message).endsWith("wipe-1-after", "wipe-1-after-w3");
        for (NodeProcess secondary : cluster.secondaries()) {
            assertThat(secondary.client().replicationStatus().path("epoch").asLong(-1))
                    .as("epoch accepted by %s", secondary.name()).isEqualTo(epochAfter);
        }
    }

    private static String keyOf(String text) {
        return "key-" + text;
    }

    @Test
    @DisplayName("with one secondary down and the master's data dir wiped, the master stays RECOVERING — GET /health says so "
            + "and writes get 503 with mode RECOVERING — until the secondary returns, also across a kill -9 in the middle "
            + "of that recovery, then nothing is lost")
    void wipedMasterWaitsForEverySecondary() {
        ReplogClient master = cluster.client();
        for (int i = 1; i <= 5; i++) {
            Written.created(master.write("wipe-2-" + i, 3), 3, N);
        }
        // The last writes reach only the secondary that then goes down: the one that stays up lags, so a
        // master that recovered from it alone would lose them.
        NodeProcess down = cluster.node(ReplogCluster.SECONDARY);
        NodeProcess lagging = cluster.node(ReplogCluster.FAULTY_SECONDARY);
        lagging.kill();
        List<Written> onlyOnDown = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            onlyOnDown.add(Written.created(master.write("wipe-2-only-on-" + down.name() + "-" + i, 2), 2, N));
        }
        List<LogEntry> before = master.messages();
        NodeProcess masterNode = cluster.master();
        masterNode.kill();
        down.kill();
        lagging.start();
        assertThat(lagging.client().replicationStatus().path("ackedSeq").asLong(-1))
                .as("ackedSeq of %s, which missed the last writes", lagging.name()).isEqualTo(before.size() - 3L);

        masterNode.wipeDataDir();
        masterNode.start();
        List<String> refusedTexts = new ArrayList<>();
        assertStaysRecovering(master, down, before, refusedTexts);

        // Killed in the middle of that recovery: its log store has created the log's files by now, which
        // must not pass for state of its own (else a quorum with the lagging secondary would do).
        masterNode.kill();
        masterNode.start();
        assertStaysRecovering(master, down, before, refusedTexts);

        down.start();
        cluster.awaitReadWrite();
        List<LogEntry> recovered = master.messages();
        assertThat(recovered).as("the master's log once the secondary returned").isEqualTo(before);
        for (Written w : onlyOnDown) {
            assertThat(recovered.get((int) w.seq() - 1).id()).as("id at seq %d", w.seq()).isEqualTo(w.id());
        }
        Written next = Written.created(master.write("wipe-2-after", 3), 3, N);
        assertThat(next.seq()).isEqualTo(before.size() + 1L);
        assertThat(next.id()).isGreaterThan(before.get(before.size() - 1).id());

        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(30));
        assertWellFormed("master", log);
        assertThat(log).extracting(LogEntry::message).doesNotContainAnyElementsOf(refusedTexts);
        assertThat(log.subList(0, before.size())).isEqualTo(before);
    }

    @Test
    @DisplayName("a wiped master fences the secondaries with its new epoch before it reads their logs and, beside a "
            + "wiped secondary, does not take the two for a new cluster while the secondary that holds the log refuses "
            + "the fence: it stays RECOVERING, tries again with the same epoch, then recovers the whole log")
    void wipedMasterAndSecondaryWaitForTheSecondaryWithTheLog() {
        ReplogClient master = cluster.client();
        for (int i = 1; i <= 3; i++) {
            Written.created(master.write("wipe-3-" + i, 3), 3, N);
        }
        List<LogEntry> before = master.messages();
        long epochBefore = master.health().path("epoch").asLong(-1);
        NodeProcess plain = cluster.node(ReplogCluster.SECONDARY);
        NodeProcess faulty = cluster.node(ReplogCluster.FAULTY_SECONDARY);
        NodeProcess masterNode = cluster.master();
        masterNode.kill();
        plain.kill();
        masterNode.wipeDataDir();
        plain.wipeDataDir();
        // Heartbeats still answer: the master hears every secondary, but the faulty one fails every append.
        faulty.client().faults(Map.of("errorBeforeAppend", 1.0));
        plain.start();
        masterNode.start();

        // The master and the wiped secondary are a quorum with no history, but the faulty secondary,
        // heard through its heartbeats, has one: only the log it holds is the cluster's.
        long fencedWith = await("the wiped master to fence " + plain.name())
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> plain.client().replicationStatus().path("epoch").asLong(-1), epoch -> epoch > epochBefore);
        await("the wiped master to stay RECOVERING, fencing with one epoch, while " + faulty.name() + " refuses it")
                .during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> master.mode().equals("RECOVERING")
                        && plain.client().replicationStatus().path("epoch").asLong(-1) == fencedWith);
        assertThat(master.messages()).as("the recovering master's log").isEmpty();

        faulty.client().faults(Map.of("errorBeforeAppend", 0.0));
        cluster.awaitReadWrite();
        assertThat(master.health().path("epoch").asLong(-1)).as("epoch the master leads with").isEqualTo(fencedWith);
        assertThat(master.messages()).as("the recovered master's log").isEqualTo(before);
        Written next = Written.created(master.write("wipe-3-after", 3), 3, N);
        assertThat(next.seq()).isEqualTo(before.size() + 1L);
        assertThat(next.id()).isGreaterThan(before.get(before.size() - 1).id());
        assertThat(cluster.awaitConverged(Duration.ofSeconds(30)).subList(0, before.size())).isEqualTo(before);
        for (NodeProcess secondary : cluster.secondaries()) {
            assertThat(secondary.client().replicationStatus().path("epoch").asLong(-1))
                    .as("epoch accepted by %s", secondary.name()).isEqualTo(fencedWith);
        }
    }

    /**
     * For three seconds, /health and every write (collected in {@code refusedTexts}) say RECOVERING,
     * and the master shows no entry that was not in the log {@code before} the wipe.
     */
    private static void assertStaysRecovering(ReplogClient master, NodeProcess down, List<LogEntry> before,
            List<String> refusedTexts) {
        await("the wiped master to stay RECOVERING while " + down.name() + " is down")
                .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    JsonNode health = master.health();
                    String text = "wipe-2-refused-" + refusedTexts.size();
                    refusedTexts.add(text);
                    HttpResult refused = master.write(text, 1);
                    JsonNode problem = assertProblem(refused, 503);
                    return health.path("mode").asString("").equals("RECOVERING")
                            && problem.path("mode").asString("").equals("RECOVERING");
                });
        JsonNode health = master.health();
        assertThat(health.path("mode").asString("")).as("mode in %s", health).isEqualTo("RECOVERING");
        assertThat(master.messages()).as("the recovering master shows no entry it has not recovered yet")
                .allSatisfy(entry -> assertThat(before).contains(entry));
    }
}
