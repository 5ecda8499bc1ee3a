package dev.replog.cluster;

import static dev.replog.cluster.fixture.LogChecks.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.FailoverClients;
import dev.replog.cluster.fixture.HttpResult;
import dev.replog.cluster.fixture.NodeProcess;
import dev.replog.cluster.fixture.ReplogCluster;
import dev.replog.cluster.fixture.Written;
import java.net.URI;
import java.time.Duration;
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
 * Automatic failover over real processes: the README's topology with a standby master
 * ({@code master-2}) and the three sync nodes that hold the lease. Masters that step down exit
 * with status 75 here, as under a supervisor (docs/decisions/0011-failover.md).
 */
@ExtendWith(ClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Automatic failover: a standby master takes over, and nothing acknowledged is lost")
class FailoverIT {

    private static final int N = 3;
    private static final String STANDBY = "master-2";
    private static final Duration TAKEOVER = Duration.ofSeconds(60);
    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.standard(FailoverIT.class)
                .syncNodes(3)
                .standby(STANDBY)
                .masterProperty("replog.lease.exit-on-step-down", "true")
                .start();
    }

    @BeforeEach
    void everyNodeRunsAndOneMasterLeads() {
        cluster.heal();
        await("one master ACTIVE and READ_WRITE, the other STANDBY").atMost(TAKEOVER).ignoreExceptions()
                .until(() -> cluster.masters().stream().map(ReplogCluster::roleOf).sorted().toList()
                        .equals(List.of("ACTIVE", "STANDBY"))
                        && "READ_WRITE".equals(cluster.client().mode()));
    }

    @Test
    @Order(1)
    @DisplayName("kill -9 of the active master under w=2 load: writes resume through the standby, every "
            + "acknowledged write is in every node's log once, at its seq, in one order; the killed master "
            + "rejoins as the standby (ChaosIT repeats takeovers)")
    void killOfTheActiveMasterUnderLoad() throws Exception {
        FailoverClients load = load("kill", 2);
        try {
            load.awaitMoreAcks(50, TAKEOVER);
            NodeProcess old = cluster.activeMaster();
            NodeProcess standby = other(old);
            old.kill();
            await("the standby " + standby.name() + " to take over").atMost(TAKEOVER).ignoreExceptions()
                    .until(() -> "ACTIVE".equals(ReplogCluster.roleOf(standby))
                            && "READ_WRITE".equals(standby.client().mode()));
            load.awaitMoreAcks(50, TAKEOVER);
            JsonNode health = standby.client().health();
            assertThat(health.path("lastTakeover").path("epoch").asLong()).as("takeover in %s", health)
                    .isEqualTo(health.path("epoch").asLong());
            old.start();
            String activeUrl = standby.url().toString().replaceAll("/$", "");
            await("the killed master to rejoin as the standby and name the active master").atMost(TAKEOVER)
                    .ignoreExceptions()
                    .until(() -> "STANDBY".equals(ReplogCluster.roleOf(old)) && activeUrl.equals(
                            old.client().health().path("activeMaster").path("url").asString()));
        } finally {
            load.stop(Duration.ofSeconds(60));
        }
        System.out.printf("FailoverIT kill -9: %s; longest write gap %d ms%n", load, load.longestGapMillis());
        assertNothingLostOrDuplicated(load);
    }

    @Test
    @Order(2)
    @DisplayName("a write to the standby or a secondary is redirected (307) to the active master, only the active "
            + "master is ready, and a retried Idempotency-Key answers the original seq from the new master after a "
            + "takeover")
    void writesFindTheActiveMasterAndKeysSurviveATakeover() {
        NodeProcess active = cluster.activeMaster();
        NodeProcess standby = other(active);
        String base = active.url().toString().replaceAll("/$", "");
        HttpResult toStandby = standby.client().send("POST", "/messages?w=2", "{\"message\":\"redirected\"}",
                "application/json", Map.of(), Duration.ofSeconds(5));
        assertThat(toStandby.status()).as("%s", toStandby).isEqualTo(307);
        assertThat(toStandby.header("Location")).contains(base + "/messages?w=2");
        HttpResult toSecondary = cluster.node(ReplogCluster.SECONDARY).client().send("POST", "/messages/batch",
                "{\"messages\":[\"a\"]}", "application/json", Map.of(), Duration.ofSeconds(5));
        assertThat(toSecondary.status()).as("%s", toSecondary).isEqualTo(307);
        assertThat(toSecondary.header("Location")).contains(base + "/messages/batch");

        // orchestrators: only the active master is ready; a healthy standby is live
        assertThat(active.client().get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(standby.client().get("/actuator/health/readiness").status()).isEqualTo(503);
        assertThat(standby.client().get("/actuator/health/liveness").status()).isEqualTo(200);

        Written first = Written.created(active.client().write("keyed", 2, "key-across-takeover"), 2, N);
        active.kill();
        await("the standby to take over").atMost(TAKEOVER).ignoreExceptions()
                .until(() -> "READ_WRITE".equals(standby.client().mode()));
        HttpResult retried = standby.client().write("keyed", 2, "key-across-takeover");
        assertThat(retried.status()).as("a retry of an acknowledged key on the new master: %s", retried)
                .isEqualTo(200);
        assertThat(retried.json().path("seq").asLong()).isEqualTo(first.seq());
        assertThat(retried.json().path("id").asLong()).isEqualTo(first.id());
    }

    @Test
    @Order(3)
    @DisplayName("SIGSTOP of the active master past its lease, then SIGCONT: the standby takes over; the old "
            + "master's waiting write ends 503 Superseded (never 201), it exits 75 and rejoins as the standby; "
            + "nothing acknowledged is lost")
    void aPausedMasterStepsDownWhenItWakes() throws Exception {
        NodeProcess old = cluster.activeMaster();
        NodeProcess standby = other(old);
        NodeProcess faulty = cluster.node(ReplogCluster.FAULTY_SECONDARY);
        FailoverClients load = load("pause", 2);
        CompletableFuture<HttpResult> waiting;
        try {
            load.awaitMoreAcks(50, TAKEOVER);
            // a w=3 write that cannot complete while the faulty-secondary fails every append
            faulty.client().faults(Map.of("errorBeforeAppend", 1.0));
            waiting = old.client().writeAsync("waits-on-the-old-master", 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> old.client().messages().stream()
                    .anyMatch(entry -> entry.message().equals("waits-on-the-old-master")));
            old.pause();
            faulty.client().faults(Map.of("errorBeforeAppend", 0.0));
            await("the standby to take over from the paused master").atMost(TAKEOVER).ignoreExceptions()
                    .until(() -> "READ_WRITE".equals(standby.client().mode()));
            load.awaitMoreAcks(50, TAKEOVER);
            old.resume();
            HttpResult answer = waiting.get(60, TimeUnit.SECONDS);
            JsonNode problem = assertProblem(answer, 503);
            assertThat(problem.path("title").asString("")).as("%s", answer).isEqualTo("Superseded");
            assertThat(old.awaitExit(Duration.ofSeconds(30))).as("exit status of the master that stepped down")
                    .isEqualTo(75);
            old.start();
            await("the old master to rejoin as the standby").atMost(TAKEOVER)
                    .until(() -> "STANDBY".equals(ReplogCluster.roleOf(old)));
            load.awaitMoreAcks(20, TAKEOVER);
        } finally {
            if (old.isPaused()) {
                old.resume();
            }
            load.stop(Duration.ofSeconds(60));
        }
        System.out.printf("FailoverIT SIGSTOP: %s%n", load);
        assertNothingLostOrDuplicated(load);
    }

    @Test
    @Order(4)
    @DisplayName("the sync cluster losing its majority while the master is healthy: writes go on (prefetched ids, "
            + "the epoch still fences), no takeover starts, and none once the sync cluster is back: the master "
            + "still leads")
    void noTakeoverWithoutTheSyncCluster() {
        NodeProcess active = cluster.activeMaster();
        NodeProcess standby = other(active);
        List<NodeProcess> sync = cluster.syncNodes();
        sync.get(0).kill();
        sync.get(1).kill();
        try {
            for (int i = 0; i < 20; i++) {
                Written.created(active.client().write("without-sync-" + i, 2), 2, N);
            }
            await("the roles to hold while the lease cannot be renewed nor taken").during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> "ACTIVE".equals(ReplogCluster.roleOf(active))
                            && "STANDBY".equals(ReplogCluster.roleOf(standby)));
            Written.created(active.client().write("still-without-sync", 2), 2, N);
        } finally {
            sync.get(0).start();
            sync.get(1).start();
        }
        // the standby may get the lease that lapsed meanwhile, but the master still leads: it hands it back
        await("the master to lead on once the sync cluster is back").during(Duration.ofSeconds(6))
                .atMost(Duration.ofSeconds(15))
                .until(() -> "ACTIVE".equals(ReplogCluster.roleOf(active))
                        && "STANDBY".equals(ReplogCluster.roleOf(standby)));
        Written.created(active.client().write("sync-back", 2), 2, N);
    }

    @Test
    @Order(5)
    @DisplayName("two standbys racing for one lease: exactly one leads, the other stays standby")
    void twoStandbysRaceForOneLease() {
        NodeProcess active = cluster.activeMaster();
        NodeProcess third = cluster.secondMaster("master-3");
        try {
            third.start();
            await().atMost(TAKEOVER).until(() -> "STANDBY".equals(ReplogCluster.roleOf(third)));
            active.kill();
            List<NodeProcess> standbys = List.of(other(active), third);
            await("one standby to take over").atMost(TAKEOVER).ignoreExceptions()
                    .until(() -> standbys.stream().filter(m -> "READ_WRITE".equals(m.client().mode())).count() == 1);
            await("exactly one leads, the other stays standby").during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> standbys.stream().map(ReplogCluster::roleOf).sorted().toList()
                            .equals(List.of("ACTIVE", "STANDBY")));
            NodeProcess leader = standbys.stream().filter(m -> "ACTIVE".equals(ReplogCluster.roleOf(m)))
                    .findFirst().orElseThrow();
            Written.created(leader.client().write("after-the-race", 2), 2, N);
        } finally {
            third.kill();
        }
    }

    private static FailoverClients load(String prefix, int w) {
        List<URI> masters = cluster.masters().stream().map(NodeProcess::url).toList();
        return new FailoverClients(masters, 6, w, prefix, cluster.clusterSecret()).start();
    }


    private static NodeProcess other(NodeProcess master) {
        return cluster.masters().stream().filter(m -> m != master).findFirst().orElseThrow();
    }

    /** Every acknowledged write is in the converged log at its seq, and no message is in it twice. */
    private static void assertNothingLostOrDuplicated(FailoverClients load) {
        await("one master to lead").atMost(TAKEOVER).ignoreExceptions()
                .until(() -> "READ_WRITE".equals(cluster.client().mode()));
        load.assertNothingLostOrDuplicatedIn(cluster.awaitConverged(Duration.ofSeconds(60)));
    }
}
