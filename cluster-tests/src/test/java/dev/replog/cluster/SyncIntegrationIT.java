package dev.replog.cluster;

import static dev.replog.cluster.LogChecks.assertProblem;
import static dev.replog.cluster.LogChecks.assertWellFormed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * stays RECOVERING until it can take an epoch and ids. One cluster serves every test; each starts
 * from every node running and healthy.
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
    @DisplayName("a master that restarts while the sync cluster is down stays RECOVERING until it is back")
    void aMasterStaysRecoveringWithoutTheSyncCluster() {
        ReplogClient master = cluster.client();
        long lastId = Written.created(master.write("before-outage-restart", 2), 2, N).id();
        cluster.syncNodes().forEach(NodeProcess::kill);
        cluster.master().restart();
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> "RECOVERING".equals(master.mode()));
        HttpResult early = master.write("too-early", 1);
        assertProblem(early, 503);

        cluster.syncNodes().forEach(NodeProcess::launch);
        cluster.syncNodes().forEach(NodeProcess::awaitReady);
        cluster.awaitReadWrite();
        long id = Written.created(master.write("after-outage-restart", 2), 2, N).id();
        assertThat(id).isGreaterThan(lastId);
        assertWellFormed("master", cluster.awaitConverged(Duration.ofSeconds(30)));
    }
}
