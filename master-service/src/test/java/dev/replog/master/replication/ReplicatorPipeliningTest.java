package dev.replog.master.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.log.LogRecord;
import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.master.config.SecondaryNode;
import dev.replog.master.log.CountingIds;
import dev.replog.master.log.DurableOnRelease;
import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.log.MessageLog;
import dev.replog.master.writeconcern.AckTracker;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * The replicator's pipelining and lingering rules, against a secondary that holds every answer
 * until the test lets it go: while a batch is in flight, a second request goes out only for at
 * least a quarter of a full batch; fewer entries wait and go together in the next batch. Entries
 * no writer waits on linger for a bigger batch; entries a writer waits on do not. Batches come
 * from the master's memory, and from its log when the entries are no longer held there. A secondary
 * that follows a newer epoch (it refuses an append with one, or a heartbeat reports one) supersedes
 * this master: nothing more is shipped to it. No entry is shipped before it is durable on the
 * master.
 */
class ReplicatorPipeliningTest {

    private static final int MAX_BATCH = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern PREV_SEQ = Pattern.compile("\"prevSeq\"\\s*:\\s*(\\d+)");
    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

    /** The epoch the fake secondary refuses with when an append is released with {@code false}. */
    private static final long NEWER_EPOCH = 7;

    /** One append the fake secondary got: the seqs it carried, and the answer it waits for (true: 200, false: 409). */
    private record Held(long prevSeq, List<Long> seqs, String body, Sinks.One<Boolean> release) {
        long lastSeq() {
            return seqs.isEmpty() ? prevSeq : seqs.get(seqs.size() - 1);
        }
    }

    private final List<Held> appends = new CopyOnWriteArrayList<>();
    private final LoopResources loops = LoopResources.create("fake-secondary", 1, true);
    private final Scheduler writer = Schedulers.newSingle("test-log-writer");
    private DisposableServer secondary;
    private MessageLog messages;
    private MasterEpoch epoch;
    private Replicator replicator;
    /** How often the replicator told the cluster that a newer master exists. */
    private final AtomicInteger supersessions = new AtomicInteger();

    @BeforeEach
    void start() {
        secondary = HttpServer.create().host("127.0.0.1").port(0).runOn(loops)
                .route(routes -> routes.post("/replication/append", (request, response) -> request.receive()
                        .aggregate().asString()
                        .flatMap(body -> {
                            Held held = new Held(first(PREV_SEQ, body), all(SEQ, body), body, Sinks.one());
                            appends.add(held);
                            return held.release().asMono().flatMap(accept -> response.status(accept ? 200 : 409)
                                    .header("Content-Type", accept ? "application/json" : "application/problem+json")
                                    .sendString(Mono.just(accept
                                            ? "{\"ackedSeq\":" + held.lastSeq() + ",\"epoch\":1}"
                                            : "{\"title\":\"Stale epoch\",\"ackedSeq\":0,\"epoch\":" + NEWER_EPOCH + "}"))
                                    .then());
                        })))
                .bindNow();
        epoch = new MasterEpoch();
        epoch.take(1);
        messages = new MessageLog(new InMemoryLogStore(), new CountingIds(), epoch, writer, 100);
    }

    /** Starts the replicator under test; {@code linger} as {@code replog.replication.linger}. */
    private void startReplicator(Duration linger) {
        AckTracker tracker = new AckTracker(2);
        SecondaryNode node = new SecondaryNode(1, "fake", URI.create("http://127.0.0.1:" + secondary.port()));
        NodeHealth health = new NodeHealth(3);
        health.answered(Clock.systemUTC().instant()); // what its first heartbeat does: a node starts UNHEALTHY
        replicator = TestReplicators.replicator(node, messages, tracker, epoch, health,
                new Replicator.BatchLimits(MAX_BATCH, 1 << 20, linger, 4), TIMEOUT,
                TestReplicators.onSuperseded(supersessions::incrementAndGet));
    }

    @AfterEach
    void stop() {
        if (replicator != null) {
            replicator.stop();
        }
        appends.forEach(held -> held.release().tryEmitValue(true));
        secondary.disposeNow();
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block();
        writer.dispose();
    }

    @Test
    void whileABatchIsInFlightAFewNewEntriesWaitAndGoTogetherInTheNextBatch() {
        startReplicator(Duration.ZERO);
        append(1);
        await().atMost(TIMEOUT).until(() -> appends.size() == 1);

        append(MAX_BATCH / 4 - 1); // 24: fewer than a quarter of a full batch
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> appends.size() == 1);

        appends.get(0).release().tryEmitValue(true);
        await().atMost(TIMEOUT).until(() -> appends.size() == 2);
        assertThat(appends.get(1).prevSeq()).isEqualTo(1);
        assertThat(appends.get(1).seqs()).hasSize(MAX_BATCH / 4 - 1).startsWith(2L).endsWith((long) MAX_BATCH / 4);
    }

    @Test
    void aQuarterOfAFullBatchGoesOutAtOnceWhileTheFirstIsStillInFlight() {
        startReplicator(Duration.ZERO);
        append(1);
        await().atMost(TIMEOUT).until(() -> appends.size() == 1);

        append(MAX_BATCH / 4);
        await().atMost(TIMEOUT).until(() -> appends.size() == 2);

        assertThat(appends.get(0).release().asMono().toFuture()).as("the first is still held").isNotDone();
        assertThat(appends.get(1).prevSeq()).as("it follows the batch in flight").isEqualTo(1);
        assertThat(appends.get(1).seqs()).hasSize(MAX_BATCH / 4);
    }

    @Test
    void entriesNoLongerInTheMastersMemoryAreReadFromItsLog() {
        startReplicator(Duration.ZERO);
        // written to the store behind the MessageLog's back, as recovery and a restart leave them
        messages.store().append(List.of(new Entry(1, 101, "a"), new Entry(2, 102, "b"), new Entry(3, 103, "c")))
                .join();
        messages.advanceIdsPast(103).block(TIMEOUT);
        append(2);

        await().atMost(TIMEOUT).until(() -> appends.size() == 1);
        assertThat(appends.get(0).prevSeq()).isZero();
        assertThat(appends.get(0).seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void entriesNoWriterWaitsOnLingerAndGoOutTogetherWhenTheLingerEnds() {
        startReplicator(Duration.ofSeconds(2));
        append(1);
        append(2);
        append(3);

        await().atMost(TIMEOUT).until(() -> appends.size() == 1);
        assertThat(appends.get(0).seqs()).as("one batch for the three wake-ups").containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void anEntryAWriterWaitsOnGoesOutAtOnceWithThoseLingering() {
        startReplicator(Duration.ofMinutes(5));
        append(2);

        long seq = appendAwaited();

        await().atMost(TIMEOUT).until(() -> appends.size() == 1);
        assertThat(appends.get(0).seqs()).containsExactly(1L, 2L, seq);
    }

    @Test
    void aQuarterOfAFullBatchDoesNotLinger() {
        startReplicator(Duration.ofMinutes(5));
        append(MAX_BATCH / 4 - 1);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(appends::isEmpty);

        append(1);

        await().atMost(TIMEOUT).until(() -> appends.size() == 1);
        assertThat(appends.get(0).seqs()).hasSize(MAX_BATCH / 4);
    }

    @Test
    void aHeartbeatAnswerThatPredatesAnAppendAnswerMovesNothing() {
        startReplicator(Duration.ZERO);
        long mark = replicator.heartbeatSent(); // the secondary writes its status (empty) ...
        append(3);
        await().atMost(TIMEOUT).until(() -> appends.size() == 1);
        appends.get(0).release().tryEmitValue(true);
        await().atMost(TIMEOUT).until(() -> replicator.ackedSeq() == 3);

        replicator.onHeartbeat(new ReplicationStatus("fake", 0, 0, 1, 0), mark); // ... which arrives after the append's answer

        assertThat(replicator.ackedSeq()).isEqualTo(3);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> appends.size() == 1);
    }

    @Test
    void aHeartbeatAnswerAfterTheLastAppendAnswerShowsASecondaryThatLostItsEntries() {
        startReplicator(Duration.ZERO);
        append(3);
        await().atMost(TIMEOUT).until(() -> appends.size() == 1);
        appends.get(0).release().tryEmitValue(true);
        await().atMost(TIMEOUT).until(() -> replicator.ackedSeq() == 3);

        replicator.onHeartbeat(new ReplicationStatus("fake", 0, 0, 1, 0), replicator.heartbeatSent()); // restarted empty

        await().atMost(TIMEOUT).until(() -> appends.size() == 2);
        assertThat(appends.get(1).prevSeq()).as("everything sent again").isZero();
        assertThat(appends.get(1).seqs()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void idempotencyKeysGoOutWithTheirEntriesFromTheLogAndFromMemory() {
        startReplicator(Duration.ZERO);
        // seq 1 written to the store behind the MessageLog's back (as recovery leaves it): read from the log
        messages.store().appendRecords(List.of(LogRecord.of(new Entry(1, 101, "a"), 1, "order-1"))).join();
        messages.advanceIdsPast(101).block(TIMEOUT);
        messages.append("b", "order-2").block(TIMEOUT);
        append(1);
        await().atMost(TIMEOUT).until(() -> appends.size() == 1);
        assertThat(appends.get(0).seqs()).containsExactly(1L, 2L, 3L);
        assertThat(keys(appends.get(0))).isEqualTo(Map.of(1L, "order-1", 2L, "order-2"));

        appends.get(0).release().tryEmitValue(true);
        await().atMost(TIMEOUT).until(() -> replicator.ackedSeq() == 3);
        messages.append("d", "order-4").block(TIMEOUT);
        append(1);
        await().atMost(TIMEOUT).until(() -> appends.size() == 2);
        assertThat(appends.get(1).seqs()).containsExactly(4L, 5L);
        assertThat(keys(appends.get(1))).as("from memory").isEqualTo(Map.of(4L, "order-4"));
    }

    @Test
    void anAppendRefusedWithANewerEpochSupersedesThisMasterAndStopsShipping() {
        startReplicator(Duration.ZERO);
        append(3);
        await().atMost(TIMEOUT).until(() -> appends.size() == 1);
        assertThat(replicator.newerEpoch()).isZero();

        appends.get(0).release().tryEmitValue(false); // 409: the secondary follows a newer master

        await().atMost(TIMEOUT).until(() -> replicator.newerEpoch() == NEWER_EPOCH);
        assertThat(supersessions).as("the cluster told once (it turns read-only)").hasValue(1);
        assertThat(replicator.ackedSeq()).as("a refusal vouches for nothing").isZero();
        append(MAX_BATCH / 4);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> appends.size() == 1);
    }

    @Test
    void aHeartbeatFromASecondaryFollowingANewerEpochSupersedesThisMaster() {
        startReplicator(Duration.ZERO);
        replicator.onHeartbeat(new ReplicationStatus("fake", 0, 0, 1, 0), replicator.heartbeatSent());
        assertThat(replicator.newerEpoch()).as("the master's own epoch is not newer").isZero();

        replicator.onHeartbeat(new ReplicationStatus("fake", 5, 5, NEWER_EPOCH, 1), replicator.heartbeatSent());
        replicator.onHeartbeat(new ReplicationStatus("fake", 6, 6, NEWER_EPOCH, 1), replicator.heartbeatSent());

        assertThat(replicator.newerEpoch()).isEqualTo(NEWER_EPOCH);
        assertThat(supersessions).as("the cluster told once").hasValue(1);
        assertThat(replicator.ackedSeq()).as("a newer master's log is not this master's").isZero();
        append(3);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(appends::isEmpty);
    }

    @Test
    void noEntryIsShippedBeforeItIsDurableOnTheMasterEvenWhenAWriterWaitsOnIt() {
        // docs/decisions/0002-ship-only-durable-entries.md: a secondary would show, and a recovery
        // might adopt, an entry the master loses in a crash.
        DurableOnRelease store = new DurableOnRelease();
        messages = new MessageLog(store, new CountingIds(), epoch, writer, 100);
        startReplicator(Duration.ZERO);

        messages.append("awaited", null).subscribe();
        await().atMost(TIMEOUT).until(() -> messages.lastSeq() == 1);
        replicator.wakeFor(1);
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(appends::isEmpty);

        store.release();
        replicator.wakeFor(1);
        await().atMost(TIMEOUT).until(() -> appends.size() == 1);
        assertThat(appends.get(0).seqs()).containsExactly(1L);
    }

    /** Appends {@code count} messages and wakes the replicator once they are durable, as the master does. */
    private void append(int count) {
        Flux.range(0, count).concatMap(i -> messages.append("m" + i, null)).blockLast(TIMEOUT);
        replicator.wake();
    }

    /** Appends one message a writer waits on this secondary for (w >= 2), as the master does; its seq. */
    private long appendAwaited() {
        long seq = messages.append("awaited", null).block(TIMEOUT).entry().seq();
        replicator.wakeFor(seq);
        return seq;
    }

    private static Map<Long, String> keys(Held held) {
        return JsonMapper.shared().readValue(held.body(), AppendRequest.class).keys();
    }

    private static long first(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private static List<Long> all(Pattern pattern, String body) {
        return pattern.matcher(body).results().map(result -> Long.parseLong(result.group(1))).toList();
    }
}
