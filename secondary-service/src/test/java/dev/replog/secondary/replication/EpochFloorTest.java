package dev.replog.secondary.replication;

import static dev.replog.secondary.replication.Batches.batch;
import static dev.replog.secondary.replication.Batches.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.log.LogRecord;
import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.ReplicationStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A node that starts without its epoch file (new, or its data dir was wiped) learns the newest
 * epoch before it takes any append, a fence included, and says so in its status; a master older
 * than that is refused from then on. A node with its epoch file does not ask. And every entry is
 * stored with the epoch that wrote it, which the status reports for the last one.
 */
class EpochFloorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final LogStore store = new InMemoryLogStore();
    private final List<ReplicaLog> opened = new ArrayList<>();
    @TempDir
    private Path dataDir;

    /** A floor source that fails until {@link #newest} is set (≥ 0), and counts the questions. */
    private final AtomicLong newest = new AtomicLong(-1);
    private final AtomicInteger asked = new AtomicInteger();
    private final EpochFloor syncCluster = new EpochFloor() {
        @Override
        public boolean configured() {
            return true;
        }

        @Override
        public Mono<Long> newestEpoch() {
            asked.incrementAndGet();
            long value = newest.get();
            return value < 0 ? Mono.error(new IllegalStateException("no majority")) : Mono.just(value);
        }

        @Override
        public String describe() {
            return "the test's sync cluster";
        }
    };

    @AfterEach
    void close() {
        opened.forEach(ReplicaLog::close);
    }

    private ReplicaLog open(EpochFloor floor) {
        ReplicaLog log = new ReplicaLog(store, new ReplicaMetrics(new SimpleMeterRegistry(), store),
                new EpochFile(dataDir.resolve("epoch")), floor, 100, 1024, Duration.ZERO);
        opened.add(log);
        return log;
    }

    @Test
    void aNodeWithoutItsEpochTakesNoAppendBeforeItLearnedTheNewestEpoch() {
        ReplicaLog replica = open(syncCluster);

        ReplicationStatus waiting = replica.status("s");
        assertThat(waiting.waitingFor()).contains("the newest epoch from the test's sync cluster");
        StepVerifier.create(replica.append(new AppendRequest(9, 0, 0, List.of())))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(EpochUnknownException.class)
                        .hasMessageContaining("nothing was appended"))
                .verify(TIMEOUT);
        StepVerifier.create(replica.append(batch(1, 1, 2))).expectError(EpochUnknownException.class).verify(TIMEOUT);
        assertThat(store.lastSeq()).isZero();

        newest.set(7);
        await().atMost(TIMEOUT).until(() -> replica.waitingFor() == null);
        assertThat(asked).as("asked again until it answered").hasValueGreaterThan(1);
        assertThat(replica.status("s")).isEqualTo(new ReplicationStatus("s", 0, 0, 7, 0));

        // the master of epoch 1 that this node may have followed before it lost its data: refused
        StepVerifier.create(replica.append(batch(1, 1, 2)))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(AppendRejectedException.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(RejectReason.STALE_EPOCH)))
                .verify(TIMEOUT);
        StepVerifier.create(replica.append(batch(7, 1, 2))).expectNext(new AppendResponse(2, 7)).verifyComplete();
    }

    @Test
    void theLearnedEpochIsDurableSoARestartDoesNotAskAgain() throws Exception {
        newest.set(4);
        ReplicaLog first = open(syncCluster);
        await().atMost(TIMEOUT).until(() -> first.waitingFor() == null);
        assertThat(Files.readString(dataDir.resolve("epoch")).trim()).isEqualTo("4");
        first.close();
        opened.remove(first);

        newest.set(-1); // the sync cluster down: a node with its epoch file needs it not
        int askedBefore = asked.get();
        ReplicaLog restarted = open(syncCluster);
        assertThat(restarted.waitingFor()).isNull();
        assertThat(restarted.epoch()).isEqualTo(4);
        assertThat(asked).hasValue(askedBefore);
    }

    @Test
    void aNodeThatLostOnlyItsEpochFileStillAsksAfterARestartBeforeTheFloorWasLearned() {
        ReplicaLog first = open(EpochFloor.NONE);
        StepVerifier.create(first.append(batch(3, 1, 2))).expectNext(new AppendResponse(2, 3)).verifyComplete();
        first.close();
        opened.remove(first);
        dataDir.resolve("epoch").toFile().delete(); // the log stays

        ReplicaLog restarted = open(syncCluster); // the sync cluster is down: nothing learned
        assertThat(restarted.waitingFor()).isNotNull();
        restarted.close();
        opened.remove(restarted);
        assertThat(dataDir.resolve("epoch")).as("nothing stored before the floor").doesNotExist();

        ReplicaLog again = open(syncCluster);
        assertThat(again.waitingFor()).as("asks again: the log's epoch is no floor").isNotNull();
        StepVerifier.create(again.append(batch(3, 3, 3))).expectError(EpochUnknownException.class).verify(TIMEOUT);
        newest.set(5);
        await().atMost(TIMEOUT).until(() -> again.waitingFor() == null);
        assertThat(again.epoch()).isEqualTo(5);
    }

    @Test
    void withoutASourceANodeWithoutItsEpochFollowsAnyMasterAgain() {
        ReplicaLog replica = open(EpochFloor.NONE);
        assertThat(replica.waitingFor()).isNull();
        StepVerifier.create(replica.append(batch(1, 1, 2))).expectNext(new AppendResponse(2, 1)).verifyComplete();
    }

    @Test
    void everyEntryKeepsTheEpochThatWroteItAndTheStatusReportsTheLastOnes() {
        ReplicaLog replica = open(EpochFloor.NONE);
        // a master of epoch 5 ships entries 1..2 that the master of epoch 3 wrote (it adopted them), then its own
        AppendRequest adopted = new AppendRequest(5, 0, 0, entries(1, 3), 3L, Map.of(), Map.of(1L, 3L, 2L, 3L));
        StepVerifier.create(replica.append(adopted)).expectNext(new AppendResponse(3, 5)).verifyComplete();

        assertThat(store.readRecords(1, 10)).extracting(LogRecord::epoch).containsExactly(3L, 3L, 5L);
        assertThat(replica.status("s").lastEpoch()).isEqualTo(5);

        // rolled back to seq 2 by a newer master whose log ends there: the last entry is epoch 3's again
        StepVerifier.create(replica.append(new AppendRequest(6, 2, 20, List.of(), 2L)))
                .expectNext(new AppendResponse(2, 6)).verifyComplete();
        assertThat(replica.status("s")).isEqualTo(new ReplicationStatus("s", 2, 20, 6, 3));
    }
}
