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
import dev.replog.cluster.fixture.WriteLoad;
import dev.replog.cluster.fixture.Written;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * The master with its ids and epoch from a real three-node sync-service cluster: ids strictly
 * increase with seq across master crashes; with every sync node down the master keeps writing on
 * its prefetched ranges, then answers 503 saying ids are unavailable, and writes resume by
 * themselves once the sync nodes are back; a master that starts while the sync cluster is down
 * takes no writes until it can hold the lease, take an epoch and ids; a second master started by mistake beside
 * the first fences it before it reads the secondaries' logs. One cluster serves every test; each
 * starts from every node running and healthy.
 */
@ExtendWith(ClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Permanent ids and epochs from the sync-service cluster")
class SyncIntegrationIT {

    private static final int N = 3;
    private static final int RANGE = 20;
    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.standard(SyncIntegrationIT.class)
                .syncNodes(3)
                .masterProperty("replog.ids.range-size", Integer.toString(RANGE))
                .masterProperty("replog.ids.wait-timeout", "1s")
                .masterProperty("replog.sync.request-timeout", "1s")
                .masterProperty("replog.sync.initial-backoff", "50ms")
                .masterProperty("replog.sync.max-backoff", "500ms")
                .start();
    }

    @BeforeEach
    void everyNodeRunsAndIsHealthy() {
        cluster.heal();
    }

    @Test
    @Order(1)
    @DisplayName("ids strictly increase with seq across a master kill -9 and restart; the epoch grows")
    void idsIncreaseAcrossMasterRestarts() {
        ReplogClient master = cluster.client();
        JsonNode health = master.health();
        assertThat(health.path("ids").path("source").asString("")).as("/health ids: %s", health).isEqualTo("sync");
        long epoch = health.path("epoch").asLong();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(Written.created(master.write("before-crash-" + i, 2), 2, N).id());
        }
        long lastBefore = ids.get(ids.size() - 1);

        for (int restart = 0; restart < 2; restart++) {
            cluster.master().restart();
            cluster.awaitReadWrite();
            JsonNode after = master.health();
            assertThat(after.path("epoch").asLong()).as("epoch after restart %d", restart).isGreaterThan(epoch);
            epoch = after.path("epoch").asLong();
            for (int i = 0; i < 5; i++) {
                ids.add(Written.created(master.write("after-crash-" + restart + "-" + i, 2), 2, N).id());
            }
        }
        assertThat(ids).as("ids in write order").isSorted().doesNotHaveDuplicates();
        assertThat(ids.get(5)).as("first id after the first restart: above the ranges the first run held")
                .isGreaterThan(lastBefore);
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(30));
        assertWellFormed("master", log);
    }

    @Test
    @Order(2)
    @DisplayName("with every sync node killed the master writes on its prefetched ids, then answers 503 "
            + "saying ids are unavailable, and resumes by itself when the sync nodes are back")
    void prefetchedIdsCarryWritesThroughASyncOutage() {
        ReplogClient master = cluster.client();
        // Let any prefetch under way settle, so the ids in hand are what /health says.
        await().atMost(Duration.ofSeconds(10)).until(() -> master.health().path("ids").path("remaining").asLong() >= RANGE);
        cluster.syncNodes().forEach(NodeProcess::kill);
        long inHand = master.health().path("ids").path("remaining").asLong();
        assertThat(inHand).as("ids in hand when the sync cluster went down").isBetween((long) RANGE, 2L * RANGE);

        int accepted = 0;
        HttpResult refused = null;
        for (int i = 0; i < 3 * RANGE && refused == null; i++) {
            HttpResult result = master.write("during-outage-" + i, 1);
            if (result.status() == 201) {
                Written.created(result, 1, N);
                accepted++;
            } else {
                refused = result;
            }
        }
        assertThat(accepted).as("writes accepted on the prefetched ids").isEqualTo(inHand);
        assertThat(refused).as("a write after the prefetched ids are spent").isNotNull();
        JsonNode problem = assertProblem(refused, 503);
        assertThat(problem.path("detail").asString("")).as("503 detail: %s", refused)
                .contains("no permanent ids").contains("sync cluster is unreachable");
        assertThat(master.health().path("ids").path("remaining").asLong()).isZero();
        assertThat(master.mode()).as("the replicas are all up: the master is not read-only").isEqualTo("READ_WRITE");

        cluster.syncNodes().forEach(NodeProcess::launch);
        cluster.syncNodes().forEach(NodeProcess::awaitReady);
        await("writes to resume by themselves once the sync nodes are back")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> master.write("after-outage", 1).status() == 201);
        Written.created(master.write("after-outage-2", 2), 2, N);
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(30));
        assertWellFormed("master", log);
    }

    @Test
    @Order(3)
    @DisplayName("a master that restarts while the sync cluster is down takes no writes (STANDBY: it cannot hold "
            + "the lease) until it is back")
    void aMasterTakesNoWritesWithoutTheSyncCluster() {
        ReplogClient master = cluster.client();
        long lastId = Written.created(master.write("before-outage-restart", 2), 2, N).id();
        cluster.syncNodes().forEach(NodeProcess::kill);
        cluster.master().restart();
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> "STANDBY".equals(master.mode()));
        HttpResult early = master.write("too-early", 1);
        assertThat(assertProblem(early, 503).path("title").asString("")).isEqualTo("No master");

        cluster.syncNodes().forEach(NodeProcess::launch);
        cluster.syncNodes().forEach(NodeProcess::awaitReady);
        cluster.awaitReadWrite();
        long id = Written.created(master.write("after-outage-restart", 2), 2, N).id();
        assertThat(id).isGreaterThan(lastId);
        assertWellFormed("master", cluster.awaitConverged(Duration.ofSeconds(30)));
    }

    @Test
    @Order(4)
    @DisplayName("a second master started by mistake fences the first with its recovery before it reads the "
            + "secondaries' logs: every w>=2 write the first acknowledged while the second started is in the "
            + "second's log, and the first acknowledges none once the second leads")
    void secondMasterFencesTheFirstBeforeReadingTheLogs() {
        ReplogClient first = cluster.client();
        Written.created(first.write("before-second-master", 3), 3, N);
        long firstEpoch = first.health().path("epoch").asLong(-1);
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(30));

        // A second master started by mistake against the same secondaries, with no data of its own,
        // while clients keep writing to the first: it recovers the log from the secondaries. It
        // writes nothing until the end, so the only word they have from it before is its recovery's.
        // Both take ids and epochs from the sync cluster: unique across masters (two masters with
        // local counters can hand out the same id and epoch, which the secondaries cannot tell apart).
        WriteLoad load = new WriteLoad(first, 2, N, 2_000, "first-master").start();
        NodeProcess second = cluster.secondMaster("master-2");
        // by mistake it does not share the first one's lease: only the epochs stand between them
        second.property("replog.lease.name", "replog-master-by-mistake");
        try {
            ReplogClient secondClient = second.start().client();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
                    secondClient.mode()).as("mode of the second master").isEqualTo("READ_WRITE"));
            long secondEpoch = secondClient.health().path("epoch").asLong(-1);
            assertThat(secondEpoch).as("epoch of the second master").isGreaterThan(firstEpoch);
            for (NodeProcess secondary : cluster.secondaries()) {
                assertThat(secondary.client().replicationStatus().path("epoch").asLong(-1))
                        .as("epoch %s follows once the second master recovered", secondary.name())
                        .isEqualTo(secondEpoch);
            }

            // The first master must not acknowledge anything the second's log lacks: it steps down
            // at its next heartbeat or append.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(first.mode())
                    .as("mode of the first master once the secondaries follow epoch %d", secondEpoch)
                    .isEqualTo("READ_ONLY"));
            load.stop(Duration.ofSeconds(10));
            load.assertNoUnexpectedAnswers();
            JsonNode problem = assertProblem(first.write("first-after-fence", 2), 503);
            assertThat(problem.path("title").asString("")).isEqualTo("Superseded");

            // The second master's first write rolls back whatever it does not hold on the secondaries.
            Written.created(secondClient.write("second-master-write", 3), 3, N);
            List<LogEntry> secondLog = secondClient.messages();
            assertThat(secondLog.subList(0, log.size())).as("the second master's log keeps every write before it")
                    .isEqualTo(log);
            List<LogEntry> acknowledged = load.acked().stream().filter(ack -> ack.w() >= 2)
                    .map(ack -> new LogEntry(ack.seq(), ack.id(), ack.message())).toList();
            assertThat(secondLog).as("the second master's log holds every w>=2 write the first acknowledged (%s)",
                    load).containsAll(acknowledged);
            for (NodeProcess secondary : cluster.secondaries()) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(secondary.client().messages())
                        .as("log of %s under the second master", secondary.name()).isEqualTo(secondLog));
            }
        } finally {
            load.stop(Duration.ofSeconds(10));
            second.kill();
        }

        // The first master, restarted, takes an epoch above the second's and the log it left.
        List<LogEntry> secondLog = cluster.secondaries().get(0).client().messages();
        NodeProcess masterNode = cluster.master();
        masterNode.kill();
        masterNode.start();
        cluster.heal();
        assertThat(cluster.awaitConverged(Duration.ofSeconds(30))).isEqualTo(secondLog);
    }

    /**
     * The schedule that lost an acknowledged write: the first master's write X waits at w=2 while
     * one secondary is down and the other fails appends; the first master freezes; a second master
     * fences both secondaries, adopts the log without X and writes Y at X's seq; it freezes; the
     * faulty-secondary loses its data dir and restarts; the first master wakes. The wiped node
     * must learn the newest epoch from the sync cluster before it takes an append, so it refuses
     * the first master, which steps down and ends X's wait 503 Superseded. Either way, X is never
     * answered 2xx unless every node holds it at the end.
     */
    @Test
    @Order(5)
    @DisplayName("a frozen master that wakes after a newer master led and a secondary lost its data cannot have a "
            + "write acknowledged that the newer master's log lacks: X ends 503 Superseded, never 201 and then lost")
    void aWipedSecondaryCannotBeWonBackByAFencedMaster() throws Exception {
        ReplogClient first = cluster.client();
        for (int i = 1; i <= 5; i++) {
            Written.created(first.write("two-masters-" + i, 3), 3, N);
        }
        List<LogEntry> before = cluster.awaitConverged(Duration.ofSeconds(30));
        NodeProcess firstMaster = cluster.master();
        NodeProcess secondary = cluster.node(ReplogCluster.SECONDARY);
        NodeProcess faulty = cluster.node(ReplogCluster.FAULTY_SECONDARY);

        // 1-2: X at w=2 reaches only the first master, which freezes
        secondary.kill();
        faulty.client().faults(Map.of("errorBeforeAppend", 1.0));
        CompletableFuture<HttpResult> x = first.writeAsync("X", 2);
        long xSeq = before.size() + 1L;
        await().atMost(Duration.ofSeconds(10)).until(() -> first.messages().size() == xSeq);
        firstMaster.pause();

        NodeProcess second = cluster.secondMaster("master-2");
        HttpResult xAnswer;
        long secondEpoch;
        long wipedEpoch;
        try {
            // 3: a second master fences both secondaries, adopts 1..5 and writes Y at X's seq
            secondary.start();
            faulty.client().faults(Map.of("errorBeforeAppend", 0.0));
            ReplogClient secondClient = second.start().client();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
                    secondClient.mode()).as("mode of the second master").isEqualTo("READ_WRITE"));
            Written y = Written.created(secondClient.write("Y", 3), 3, N);
            assertThat(y.seq()).as("Y takes the seq X has on the frozen first master").isEqualTo(xSeq);
            secondEpoch = secondClient.health().path("epoch").asLong(-1);
            second.pause();

            // 4: the faulty-secondary loses its data dir
            faulty.kill();
            faulty.wipeDataDir();
            faulty.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !faulty.client().replicationStatus().has("waitingFor"));
            wipedEpoch = faulty.client().replicationStatus().path("epoch").asLong(-1);

            // 5: the first master wakes
            firstMaster.resume();
            xAnswer = x.get(60, TimeUnit.SECONDS);

            // 6: the second master wakes and writes on
            second.resume();
            Written.created(secondClient.write("Z", 3), 3, N);
        } finally {
            if (firstMaster.isPaused()) {
                firstMaster.resume();
            }
            second.kill();
        }
        firstMaster.kill();
        firstMaster.start();
        cluster.heal();
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(30));
        assertThat(log).extracting(LogEntry::message).contains("Y", "Z");
        if (xAnswer.status() / 100 == 2) {
            assertThat(log).as("X was acknowledged (%s): every node must hold it", xAnswer)
                    .extracting(LogEntry::message).contains("X");
        }
        assertThat(wipedEpoch).as("the wiped node's epoch before the first master woke, learned from the sync "
                + "cluster").isEqualTo(secondEpoch);
        JsonNode problem = assertProblem(xAnswer, 503);
        assertThat(problem.path("title").asString("")).isEqualTo("Superseded");
        assertThat(problem.path("detail").asString("")).contains("may or may not survive");
    }
}
