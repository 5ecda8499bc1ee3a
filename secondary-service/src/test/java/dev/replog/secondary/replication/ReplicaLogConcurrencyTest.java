package dev.replog.secondary.replication;

import static dev.replog.secondary.replication.Batches.batch;
import static dev.replog.secondary.replication.Batches.entries;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * Many threads deliver the same batches at once, as a master's retries and parallel in-flight
 * batches do: every entry must be stored exactly once, none lost.
 */
class ReplicaLogConcurrencyTest {

    private static final int THREADS = 8;
    private static final int BATCHES = 200;
    private static final int BATCH_SIZE = 5;
    private static final int ENTRIES = BATCHES * BATCH_SIZE;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Short, so that shuffled deliveries see both outcomes: answered when the gap fills, or refused. */
    private static final Duration GAP_WAIT = Duration.ofMillis(5);

    private final LogStore store = new InMemoryLogStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    private ReplicaLog replica;
    private Path dataDir;

    @BeforeEach
    void openReplica(@TempDir Path dataDir) {
        this.dataDir = dataDir;
        replica = open(GAP_WAIT);
    }

    private ReplicaLog open(Duration gapWait) {
        return new ReplicaLog(store, new ReplicaMetrics(registry, store), new EpochFile(dataDir.resolve("epoch")),
                100_000, 1024, gapWait);
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        replica.close();
    }

    @RepeatedTest(3)
    void concurrentDeliveriesOfTheSameBatchesInOrderStoreEachEntryOnce() throws Exception {
        runOnEveryThread(thread -> {
            for (AppendRequest batch : allBatches()) {
                replica.append(batch).block(TIMEOUT);
            }
        });

        assertThat(store.read(1, ENTRIES + 10)).isEqualTo(entries(1, ENTRIES));
        assertThat(replica.ackedSeq()).isEqualTo(ENTRIES);
        assertThat(registry.get("replog.secondary.appended.entries").counter().count()).isEqualTo(ENTRIES);
        assertThat(registry.get("replog.secondary.duplicate.entries").counter().count())
                .isEqualTo((double) ENTRIES * (THREADS - 1));
    }

    @RepeatedTest(3)
    void concurrentDeliveriesInRandomOrdersFillEveryGapAndStoreEachEntryOnce() throws Exception {
        runOnEveryThread(thread -> {
            List<AppendRequest> shuffled = new ArrayList<>(allBatches());
            Collections.shuffle(shuffled, new Random(thread));
            for (AppendRequest batch : shuffled) {
                // a gap waits at most GAP_WAIT, then is answered 409 and the batch kept aside: the
                // next deliveries fill it
                replica.append(batch).onErrorComplete(AppendRejectedException.class).block(TIMEOUT);
            }
        });

        assertThat(store.read(1, ENTRIES + 10)).isEqualTo(entries(1, ENTRIES));
        assertThat(replica.ackedSeq()).isEqualTo(ENTRIES);
        assertThat(registry.get("replog.secondary.appended.entries").counter().count()).isEqualTo(ENTRIES);
        assertThat(registry.get("replog.secondary.pending.entries").gauge().value()).isZero();
    }

    @RepeatedTest(3)
    void batchesInFlightTogetherInAnyOrderAreAllAnsweredWithoutARefusal() {
        replica.close();
        replica = open(TIMEOUT);
        List<AppendRequest> shuffled = new ArrayList<>(allBatches());
        Collections.shuffle(shuffled, new Random(7));

        // what a pipelining master does: every batch sent before any is answered, arriving in any order
        List<AppendResponse> answers = Flux.fromIterable(shuffled)
                .flatMap(batch -> replica.append(batch), shuffled.size())
                .collectList()
                .block(TIMEOUT);

        assertThat(answers).hasSize(BATCHES).allSatisfy(answer -> assertThat(answer.ackedSeq()).isPositive());
        assertThat(store.read(1, ENTRIES + 10)).isEqualTo(entries(1, ENTRIES));
        assertThat(registry.get("replog.secondary.rejected.batches").tag("reason", "gap").counter().count()).isZero();
        assertThat(registry.get("replog.secondary.duplicate.entries").counter().count()).isZero();
    }

    private static List<AppendRequest> allBatches() {
        List<AppendRequest> batches = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
            batches.add(batch(1, (long) i * BATCH_SIZE + 1, (long) (i + 1) * BATCH_SIZE));
        }
        return batches;
    }

    /** Starts {@code work} on every thread at the same instant and waits for all of them. */
    private void runOnEveryThread(ThreadWork work) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> done = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            int id = thread;
            Callable<Void> task = () -> {
                start.await();
                work.run(id);
                return null;
            };
            done.add(threads.submit(task));
        }
        start.countDown();
        for (Future<Void> future : done) {
            future.get(30, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    private interface ThreadWork {
        void run(int thread) throws Exception;
    }
}
