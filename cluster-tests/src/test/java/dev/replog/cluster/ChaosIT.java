package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.replog.cluster.fixture.ChaosClients;
import dev.replog.cluster.fixture.ChaosSettings;
import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.FailoverClients;
import dev.replog.cluster.fixture.Nemesis;
import dev.replog.cluster.fixture.NodeProcess;
import dev.replog.cluster.fixture.ReplogClient;
import dev.replog.cluster.fixture.ReplogCluster;
import dev.replog.history.CheckReport;
import dev.replog.history.Checker;
import dev.replog.history.History;
import dev.replog.history.StoredEntry;
import dev.replog.history.Violation;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Jepsen-style chaos: concurrent clients write unique messages with random write concerns while
 * the {@link Nemesis} kills, pauses, faults, wipes and tears nodes (sync nodes included); then
 * everything is healed, the logs converge, and the {@link Checker} holds every node's full log
 * against the recorded history. A round fails on any violation: a lost, duplicated or reordered
 * entry, diverged logs, a gap, a write stored elsewhere than acknowledged, a definitely failed
 * write that shows up, or an entry nobody wrote.
 *
 * <p>Rounds share one cluster and one history (messages carry the round and seed), so each check
 * covers everything written so far. See {@link ChaosSettings} for seeds, replay and long runs. A
 * second test runs two masters at once, the way a stale master meets a wiped secondary; the last
 * proves the checker can fail, with a secondary that acknowledges before storing.
 */
@ExtendWith(ClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Chaos")
class ChaosIT {

    private static final int CLIENTS = 6;
    /** Waits for a step in progress to heal: a node restart takes a few seconds on a busy machine. */
    private static final Duration NEMESIS_GRACE = Duration.ofSeconds(120);
    private static final Duration CONVERGENCE = Duration.ofSeconds(90);

    private static final ChaosSettings SETTINGS = ChaosSettings.fromSystemProperties();
    private static final History HISTORY = new History();
    private static final Map<Nemesis.Fault, Integer> FAULTS = new EnumMap<>(Nemesis.Fault.class);

    private static ReplogCluster cluster;
    private static long classStarted;

    @BeforeAll
    static void startCluster() {
        classStarted = System.nanoTime();
        System.out.printf("ChaosIT: %d round(s) of %d s of faults (%s)%n", SETTINGS.seeds().size(),
                SETTINGS.round().toSeconds(), SETTINGS.replaying() ? "replaying a seed" : "seeds drawn at random");
        cluster = ReplogCluster.standard(ChaosIT.class)
                .syncNodes(3)
                .start();
    }

    @AfterAll
    static void printTotals() {
        System.out.printf("ChaosIT: %d operations, faults injected %s, in %d s in all%n", HISTORY.ops().stream()
                .filter(op -> !op.isCompletion()).count(), FAULTS,
                Duration.ofNanos(System.nanoTime() - classStarted).toSeconds());
    }

    @TestFactory
    @Order(1)
    @DisplayName("under kills, pauses, faulty modes, wiped and torn secondaries and a killed sync node, no "
            + "acknowledged write is lost, duplicated or reordered and every node ends with the same log")
    Stream<DynamicTest> chaosRounds() {
        List<Long> seeds = SETTINGS.seeds();
        return IntStream.range(0, seeds.size()).mapToObj(i -> dynamicTest(
                "round " + (i + 1) + ", seed " + seeds.get(i), () -> round(i + 1, seeds.get(i))));
    }

    private void round(int number, long seed) {
        String label = "ChaosIT round " + number;
        System.out.printf("%s: seed %d; replay with %s%n", label, seed, SETTINGS.replay(seed));
        cluster.heal();
        long started = System.nanoTime();
        ChaosClients clients = new ChaosClients(cluster.client(), HISTORY, "r" + number + "-s" + seed, CLIENTS, seed)
                .start();
        Nemesis nemesis = new Nemesis(cluster, seed, HISTORY, label).start(SETTINGS.round());
        try {
            nemesis.awaitEnd(SETTINGS.round().plus(NEMESIS_GRACE));
        } finally {
            nemesis.stop();
            clients.stop(Duration.ofSeconds(30));
            nemesis.injected().forEach((fault, count) -> FAULTS.merge(fault, count, Integer::sum));
        }
        cluster.heal();
        CheckReport report = checkAfterConvergence(CONVERGENCE);
        System.out.printf("%s (seed %d) after %d s: %s; faults injected %s (%d)%n%s%n", label, seed,
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), clients, nemesis.injected(),
                nemesis.total(), report.format());

        assertThat(clients.unexpected()).as("answers outside the contract in %s (seed %d; replay with %s)", label,
                seed, SETTINGS.replay(seed)).isEmpty();
        assertThat(report.valid()).as("%s (seed %d; replay with %s): history and logs disagree; node logs in %s%n%s",
                label, seed, SETTINGS.replay(seed), ReplogCluster.logDir(ChaosIT.class), report.format()).isTrue();
        assertThat(report.ok()).as("writes acknowledged so far").isPositive();
        for (Nemesis.Fault fault : Nemesis.opening(seed)) { // the seeds are chosen to cover every kind
            assertThat(nemesis.injected().get(fault)).as("%s, which seed %d opens with, injected", fault, seed)
                    .isPositive();
        }
    }

    @Test
    @Order(2)
    @DisplayName("with two masters at once (a second master started and stopped, the first paused and resumed, a "
            + "secondary wiped while a master is paused), no acknowledged write is lost, duplicated or reordered")
    void twoMastersAtOnce() {
        cluster.heal();
        long seed = SETTINGS.seeds().get(0);
        NodeProcess first = cluster.master();
        NodeProcess second = cluster.secondMaster("master-2");
        NodeProcess wiped = cluster.node(ReplogCluster.FAULTY_SECONDARY);
        // the first master is superseded while frozen: its w=1 writes may be lost, as the contract allows
        ChaosClients toFirst = new ChaosClients(cluster.client(), HISTORY, "two-masters-first", CLIENTS / 2, seed,
                ChaosClients.SURVIVING_A_TAKEOVER).start();
        ChaosClients toSecond = null;
        try {
            awaitAcknowledged(toFirst, 20);
            // the first master freezes mid-load; a second one fences the secondaries and leads
            first.pause();
            ReplogClient secondClient = second.start().client();
            await("the second master to take writes").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> "READ_WRITE".equals(secondClient.mode()));
            toSecond = new ChaosClients(secondClient, HISTORY, "two-masters-second", CLIENTS / 2, seed + 1).start();
            awaitAcknowledged(toSecond, 20);
            // the second freezes too; a secondary loses its data meanwhile; the first wakes
            second.pause();
            wiped.kill();
            wiped.wipeDataDir();
            wiped.start();
            first.resume();
            await("the first master to step down").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> "READ_ONLY".equals(cluster.client().mode()));
            second.resume();
            awaitAcknowledged(toSecond, toSecond.answers().getOrDefault("201", 0L) + 20);
            // the second is killed below: its last w=1 writes must reach the secondaries first, since
            // a w=1 write that only a killed master held may be lost, as the contract allows
            toSecond.stop(Duration.ofSeconds(30));
            awaitSecondariesHold(secondClient.health().path("lastSeq").asLong());
        } finally {
            toFirst.stop(Duration.ofSeconds(30));
            if (toSecond != null) {
                toSecond.stop(Duration.ofSeconds(30));
            }
            if (first.isPaused()) {
                first.resume();
            }
            second.kill();
        }
        // the first master, restarted, takes the log the second left
        first.restart();
        cluster.heal();
        CheckReport report = checkAfterConvergence(CONVERGENCE);
        System.out.printf("ChaosIT two masters: first %s; second %s%n%s%n", toFirst, toSecond, report.format());
        assertThat(toFirst.unexpected()).as("answers outside the contract from the first master").isEmpty();
        assertThat(toSecond.unexpected()).as("answers outside the contract from the second master").isEmpty();
        assertThat(report.valid()).as("two masters: history and logs disagree; node logs in %s%n%s",
                ReplogCluster.logDir(ChaosIT.class), report.format()).isTrue();
    }

    private static void awaitSecondariesHold(long seq) {
        for (NodeProcess secondary : cluster.secondaries()) {
            await(secondary.name() + " to hold seq " + seq).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> secondary.client().replicationStatus().path("ackedSeq").asLong() >= seq);
        }
    }

    private static void awaitAcknowledged(ChaosClients clients, long count) {
        await("writes acknowledged").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> clients.answers().getOrDefault("201", 0L) >= count);
    }

    /**
     * Failover under chaos: a standby master runs beside the master, and the active one is killed
     * or frozen past its lease (then woken: it steps down) over and over while failover-aware
     * clients write at {@code w=2}, following redirects and retrying with their Idempotency-Keys.
     * Runs after the rounds the history checker judges: these writers keep their own account.
     */
    @Test
    @Order(3)
    @DisplayName("with a standby master running, kills and pauses of the active master under load: no acknowledged "
            + "write is lost or duplicated, every node ends with one log")
    void masterKillsAndPausesWithAStandby() throws Exception {
        cluster.heal();
        long seed = SETTINGS.seeds().get(0);
        Random random = new Random(seed);
        NodeProcess standby = cluster.secondMaster("standby");
        List<NodeProcess> masters = List.of(cluster.master(), standby);
        FailoverClients load = null;
        try {
            standby.start();
            await("the standby to wait for the lease").atMost(Duration.ofSeconds(60))
                    .until(() -> "STANDBY".equals(ReplogCluster.roleOf(standby)));
            load = new FailoverClients(masters.stream().map(NodeProcess::url).toList(), CLIENTS, 2,
                    "failover-s" + seed, cluster.clusterSecret()).start();
            for (int event = 1; event <= 4; event++) {
                load.awaitMoreAcks(30, Duration.ofSeconds(60));
                NodeProcess active = leaderOf(masters);
                NodeProcess other = masters.get(1 - masters.indexOf(active));
                boolean kill = random.nextBoolean();
                System.out.printf("ChaosIT failover event %d: %s %s%n", event, kill ? "kill -9" : "SIGSTOP", active.name());
                if (kill) {
                    active.kill();
                } else {
                    active.pause();
                }
                await(other.name() + " to take over").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> "READ_WRITE".equals(other.client().mode()));
                if (!kill) {
                    active.resume();
                    await(active.name() + " to step down once it wakes").atMost(Duration.ofSeconds(30))
                            .until(() -> "DEPOSED".equals(ReplogCluster.roleOf(active)));
                    active.kill();
                }
                active.start();
                await(active.name() + " to rejoin as the standby").atMost(Duration.ofSeconds(60))
                        .until(() -> "STANDBY".equals(ReplogCluster.roleOf(active)));
            }
            load.awaitMoreAcks(30, Duration.ofSeconds(60));
        } finally {
            if (load != null) {
                load.stop(Duration.ofSeconds(60));
            }
            masters.stream().filter(NodeProcess::isPaused).forEach(NodeProcess::resume);
            // the cluster's own master leads again for the tests after this one
            if (standby.isAlive() && "ACTIVE".equals(ReplogCluster.roleOf(standby))) {
                standby.kill();
            }
            standby.kill();
        }
        cluster.heal();
        System.out.printf("ChaosIT failover: %s; longest write gap %d ms%n", load, load.longestGapMillis());
        load.assertNothingLostOrDuplicatedIn(cluster.awaitConverged(CONVERGENCE));
    }

    private static NodeProcess leaderOf(List<NodeProcess> masters) {
        await("one master instance to lead").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> masters.stream().anyMatch(m -> "READ_WRITE".equals(m.client().mode())));
        return masters.stream().filter(m -> "ACTIVE".equals(ReplogCluster.roleOf(m))).findFirst().orElseThrow();
    }


    @Test
    @Order(4)
    @DisplayName("the checker can fail: with a secondary that acknowledges batches without storing them "
            + "(replog.testing.ack-before-store), it reports the acknowledged writes that secondary lacks as lost")
    void checkerReportsLostWritesOfAnAckBeforeStoreSecondary() {
        cluster.heal();
        NodeProcess liar = cluster.node(ReplogCluster.FAULTY_SECONDARY);
        liar.property("replog.testing.ack-before-store", "true");
        try {
            liar.restart();
            cluster.heal();
            ChaosClients clients = new ChaosClients(cluster.client(), HISTORY, "broken", CLIENTS, 42).start();
            try {
                await("writes acknowledged with the lying secondary").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> clients.answers().getOrDefault("201", 0L) >= 50);
            } finally {
                clients.stop(Duration.ofSeconds(30));
            }
            CheckReport report = checkAfterConvergence(Duration.ofSeconds(3));
            System.out.printf("ChaosIT with replog.testing.ack-before-store on %s: %s%n%s%n", liar.name(), clients,
                    report.format());

            assertThat(report.valid()).as("the checker's verdict on a broken build").isFalse();
            assertThat(report.violations(Violation.Kind.LOST)).as("lost writes in %s", report.format())
                    .isNotEmpty()
                    .allSatisfy(v -> assertThat(v.node()).isEqualTo(liar.name()))
                    .anySatisfy(v -> assertThat(v.summary()).contains("\"broken-"))
                    .as("a write acknowledged by every node is among them")
                    .anySatisfy(v -> assertThat(v.summary()).containsPattern("w=(all|3),"));
        } finally {
            liar.property("replog.testing.ack-before-store", null);
        }
    }

    /**
     * Waits up to {@code atMost} until every secondary's durable prefix reaches the end of the
     * master's log, then reads every log node's full log and checks it against the history. Logs
     * that do not converge are checked all the same: the checker says what differs.
     */
    private static CheckReport checkAfterConvergence(Duration atMost) {
        try {
            await("every secondary to hold the master's whole log").atMost(atMost)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(ChaosIT::converged);
        } catch (ConditionTimeoutException e) {
            System.out.printf("ChaosIT: the logs did not converge within %d s; thread dumps in the node logs; "
                    + "checking them as they are%n", atMost.toSeconds());
            cluster.dumpThreads();
        }
        Map<String, List<StoredEntry>> logs = new LinkedHashMap<>();
        logs.put(cluster.master().name(), read(cluster.master()));
        cluster.secondaries().forEach(node -> logs.put(node.name(), read(node)));
        return Checker.check(HISTORY.ops(), logs);
    }

    private static boolean converged() {
        long lastSeq = cluster.client().health().path("lastSeq").asLong(-1);
        for (NodeProcess node : cluster.secondaries()) {
            if (node.client().replicationStatus().path("ackedSeq").asLong(-2) != lastSeq) {
                return false;
            }
        }
        return true;
    }

    private static List<StoredEntry> read(NodeProcess node) {
        return node.client().messages().stream()
                .map(e -> new StoredEntry(e.seq(), e.id(), e.message()))
                .toList();
    }
}
