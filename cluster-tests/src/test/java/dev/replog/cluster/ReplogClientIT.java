package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.LogEntry;
import dev.replog.cluster.fixture.NodeProcess;
import dev.replog.cluster.fixture.ReplogCluster;
import dev.replog.client.ReplogClient;
import dev.replog.client.error.LockHeldException;
import dev.replog.client.lock.Lease;
import dev.replog.client.producer.ProducerSettings;
import dev.replog.client.producer.ReplogProducer;
import dev.replog.client.tail.Entry;
import dev.replog.client.write.AppendResult;
import dev.replog.client.write.WriteConcern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;

/**
 * The Java client ({@code replog-client}) against real processes: the master, a secondary, the
 * faulty-secondary and three sync nodes. Writes, the producer, a tail across a node's death, ids
 * across a sync node's death, and locks. One cluster serves every test; each starts with every
 * node running.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("The Java client against a real cluster")
class ReplogClientIT {

    private static final String STANDBY = "master-2";
    private static ReplogCluster cluster;
    private static ReplogClient client;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.standard(ReplogClientIT.class).syncNodes(3).standby(STANDBY).start();
        client = clientOf(List.of(ReplogCluster.SECONDARY, ReplogCluster.MASTER, STANDBY,
                ReplogCluster.FAULTY_SECONDARY), 0);
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @BeforeEach
    void everyNodeRuns() {
        cluster.heal();
    }

    @Test
    @DisplayName("an append at w=majority, sent first to a secondary, is answered by the master and reads back "
            + "from the master and from a tail")
    void anAppendAtMajorityReadsBack() {
        AppendResult result = client.appendAndWait("client-majority", WriteConcern.MAJORITY);

        assertThat(result.w()).isEqualTo(2);
        assertThat(result.acks()).isGreaterThanOrEqualTo(2);
        // the master that answered (a standby that took over under load is one too, once it leads)
        NodeProcess answered = cluster.nodes().stream()
                .filter(node -> node.url().equals(client.lastKnownMaster())).findFirst().orElseThrow();
        assertThat(answered.name()).isNotEqualTo(ReplogCluster.SECONDARY);
        assertThat(answered.client().messages()).contains(new LogEntry(result.seq(), result.id(), "client-majority"));
        Entry tailed = client.tail(result.seq()).blockFirst(Duration.ofSeconds(30));
        assertThat(tailed).isEqualTo(new Entry(result.seq(), result.id(), "client-majority"));
    }

    @Test
    @DisplayName("a producer writing while the active master is killed -9 loses nothing acknowledged and "
            + "duplicates nothing: the client follows the standby's takeover and retries with the same keys")
    void aProducerSurvivesAKillOfTheActiveMaster() throws Exception {
        Map<String, AppendResult> results = new ConcurrentHashMap<>();
        List<CompletableFuture<AppendResult>> sent = new ArrayList<>();
        try (ReplogProducer producer = client.newProducer(ProducerSettings.DEFAULTS.withW(WriteConcern.of(2))
                .withBatching(Duration.ofMillis(5), 50).withMaxInFlight(2))) {
            for (int i = 0; i < 400; i++) {
                String message = "takeover-" + i;
                sent.add(producer.send(message).whenComplete((result, error) -> {
                    if (result != null) {
                        results.put(message, result);
                    }
                }));
                if (i == 100) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> results.size() >= 50);
                    cluster.activeMaster().kill();
                }
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
        }
        assertThat(results).hasSize(400);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> "READ_WRITE".equals(cluster.client().mode()));
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(60));
        Map<Long, LogEntry> bySeq = log.stream().collect(Collectors.toMap(LogEntry::seq, entry -> entry));
        results.forEach((message, result) ->
                assertThat(bySeq.get(result.seq())).as("acknowledged %s", message)
                        .isEqualTo(new LogEntry(result.seq(), result.id(), message)));
        assertThat(log.stream().filter(entry -> entry.message().startsWith("takeover-")).count())
                .as("each message appended once").isEqualTo(400);
    }

    @Test
    @DisplayName("a producer fed by 64 concurrent callers gives each message its own seq: none twice, none "
            + "skipped, each the entry the log holds")
    void aProducerGivesEveryCallerItsOwnSeq() throws Exception {
        int callers = 64;
        int perCaller = 20;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        Map<String, AppendResult> results = new ConcurrentHashMap<>();
        try (ReplogProducer producer = client.newProducer(ProducerSettings.DEFAULTS.withW(WriteConcern.of(2))
                .withBatching(Duration.ofMillis(10), 100).withMaxInFlight(4))) {
            List<CompletableFuture<Void>> callersDone = IntStream.range(0, callers)
                    .mapToObj(caller -> CompletableFuture.runAsync(() -> {
                        List<CompletableFuture<AppendResult>> mine = new ArrayList<>();
                        for (int i = 0; i < perCaller; i++) {
                            String message = "producer-" + caller + "-" + i;
                            mine.add(producer.send(message).whenComplete((result, error) -> {
                                if (result != null) {
                                    results.put(message, result);
                                }
                            }));
                        }
                        mine.forEach(CompletableFuture::join);
                    }, pool))
                    .toList();
            CompletableFuture.allOf(callersDone.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(results).hasSize(callers * perCaller);
        List<Long> seqs = results.values().stream().map(AppendResult::seq).sorted().toList();
        long first = seqs.get(0);
        assertThat(seqs).as("one seq each, contiguous")
                .containsExactlyElementsOf(LongStream.range(first, first + seqs.size()).boxed().toList());
        Map<Long, LogEntry> log = cluster.client().messages().stream()
                .collect(Collectors.toMap(LogEntry::seq, entry -> entry));
        results.forEach((message, result) ->
                assertThat(log.get(result.seq())).isEqualTo(new LogEntry(result.seq(), result.id(), message)));
    }

    @Test
    @DisplayName("a tail reading from a secondary that is killed resumes on the next node: every entry once, in order")
    void aTailResumesOnTheNextNodeWhenItsNodeIsKilled() {
        long start = cluster.client().messages().size() + 1;
        List<Entry> tailed = new CopyOnWriteArrayList<>();
        Disposable tail = client.tail(start).subscribe(tailed::add);
        try {
            for (int i = 0; i < 10; i++) {
                client.appendAndWait("before-kill-" + i, WriteConcern.ALL);
            }
            await("the tail to read 10 entries from the secondary").atMost(Duration.ofSeconds(30))
                    .until(() -> tailed.size() >= 10);

            cluster.node(ReplogCluster.SECONDARY).kill();
            for (int i = 0; i < 10; i++) {
                client.appendAndWait("after-kill-" + i, WriteConcern.of(2));
            }

            await("the tail to read 20 entries").atMost(Duration.ofSeconds(60)).until(() -> tailed.size() >= 20);
            List<LogEntry> log = cluster.client().messages();
            List<LogEntry> expected = log.subList((int) start - 1, (int) start - 1 + 20);
            assertThat(tailed).extracting(entry -> new LogEntry(entry.seq(), entry.id(), entry.message()))
                    .containsExactlyElementsOf(expected);
            assertThat(tailed.subList(10, 20)).extracting(Entry::message)
                    .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "after-kill-" + i).toList());
        } finally {
            tail.dispose();
        }
    }

    @Test
    @DisplayName("ids from three clients with buffers of 1, 7 and 1000, each starting on another sync node, "
            + "while one sync node is killed: no id twice, each client's ids increasing")
    void idsNeverRepeatAcrossClientsAndASyncNodesDeath() {
        int[] buffers = {1, 7, 1000};
        int[] counts = {40, 200, 2500};
        List<ReplogClient> clients = new ArrayList<>();
        List<Iterator<Long>> streams = new ArrayList<>();
        List<List<Long>> taken = new ArrayList<>();
        try {
            for (int i = 0; i < buffers.length; i++) {
                ReplogClient idClient = clientOf(List.of(ReplogCluster.MASTER), i);
                clients.add(idClient);
                streams.add(idClient.ids("client-it-ids", buffers[i]).toIterable(1).iterator());
                taken.add(new ArrayList<>());
            }
            for (int i = 0; i < buffers.length; i++) {
                take(streams.get(i), counts[i] / 2, taken.get(i));
            }

            cluster.syncNodes().get(0).kill();
            for (int i = 0; i < buffers.length; i++) {
                take(streams.get(i), counts[i] - counts[i] / 2, taken.get(i));
            }
        } finally {
            clients.forEach(ReplogClient::close);
        }

        Set<Long> all = new HashSet<>();
        for (int i = 0; i < buffers.length; i++) {
            assertThat(taken.get(i)).as("ids of the client with buffer %d", buffers[i])
                    .hasSize(counts[i]).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
            taken.get(i).forEach(id -> assertThat(all.add(id)).as("id %d handed out twice", id).isTrue());
        }
    }

    @Test
    @DisplayName("a lock held by one client is granted to another only once released or expired, "
            + "with increasing fencing tokens")
    void aLockPassesOnOnlyWhenReleasedOrExpired() throws Exception {
        // long enough that renewals every ttl/3 keep the lease on a loaded two-core machine
        Duration ttl = Duration.ofSeconds(5);
        try (ReplogClient first = clientOf(List.of(ReplogCluster.MASTER), 0);
             ReplogClient second = clientOf(List.of(ReplogCluster.MASTER), 1);
             ReplogClient third = clientOf(List.of(ReplogCluster.MASTER), 2)) {
            Lease held = first.lock("client-it-lock", ttl).join();
            assertThatThrownBy(() -> ReplogClient.await(second.lock("client-it-lock", ttl)))
                    .isInstanceOf(LockHeldException.class);

            CompletableFuture<Lease> waiting = second.lock("client-it-lock", ttl, Duration.ofSeconds(30));
            // for twice the ttl: only renewals keep the first lease, and the waiter gets nothing meanwhile
            await("the first lease to stay held and the waiter to wait").during(ttl.multipliedBy(2))
                    .atMost(ttl.multipliedBy(2).plusSeconds(5))
                    .untilAsserted(() -> {
                        assertThat(held.isHeld()).as("the first lease, renewed past its ttl: %s", held).isTrue();
                        assertThat(waiting).as("the waiter, while the first client holds the lock").isNotDone();
                    });

            assertThat(held.release().join()).isTrue();
            Lease next = waiting.get(30, TimeUnit.SECONDS);
            assertThat(next.token()).isGreaterThan(held.token());

            // the second holder stops renewing, as a crashed process would: its lease must expire first
            CompletableFuture<Lease> afterExpiry = third.lock("client-it-lock", ttl, Duration.ofSeconds(30));
            second.close();
            Lease last = afterExpiry.get(30, TimeUnit.SECONDS);
            assertThat(next.isHeld()).as("the second holder's own clock ended its lease before the grant").isFalse();
            assertThat(last.token()).isGreaterThan(next.token());
            last.release().join();
        }
    }

    private static void take(Iterator<Long> stream, int count, Collection<Long> into) {
        for (int i = 0; i < count; i++) {
            into.add(stream.next());
        }
    }

    /** A client of the named nodes, in order, and of the sync nodes starting at the {@code firstSync}-th. */
    private static ReplogClient clientOf(List<String> nodes, int firstSync) {
        List<String> sync = new ArrayList<>();
        List<NodeProcess> syncNodes = cluster.syncNodes();
        for (int i = 0; i < syncNodes.size(); i++) {
            sync.add(syncNodes.get((firstSync + i) % syncNodes.size()).url().toString());
        }
        return ReplogClient.builder()
                .nodes(nodes.stream().map(name -> cluster.node(name).url().toString()).toList())
                .syncNodes(sync)
                .connectTimeout(Duration.ofSeconds(1))
                .deliveryTimeout(Duration.ofSeconds(60))
                .tailIdleTimeout(Duration.ofSeconds(20))
                .build();
    }
}
