package dev.replog.secondary.replication;

import static dev.replog.secondary.replication.Batches.batch;
import static dev.replog.secondary.replication.Batches.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replog.common.log.AppendFailedException;
import dev.replog.common.log.FileLogStore;
import dev.replog.common.log.FsyncMode;
import dev.replog.common.log.LogRecord;
import dev.replog.common.log.LogStore;
import dev.replog.common.log.testing.ForwardingLogStore;
import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.ReplicationStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The replica over the real file store: a restart (close both, reopen both on the same data
 * directory) keeps the log, the watermark and the epoch; the store is only ever called from the
 * writer thread.
 */
class ReplicaLogDurabilityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    private Path dataDir;

    private FileLogStore store;
    private ReplicaLog replica;

    @AfterEach
    void closeNode() {
        stop();
    }

    @ParameterizedTest(name = "fsync={0}")
    @EnumSource(FsyncMode.class)
    void aRestartedReplicaHasTheSameLogWatermarkAndEpoch(FsyncMode fsync) {
        start(fsync);
        expectAcked(batch(2, 1, 3), 3, 2);
        expectAcked(batch(2, 4, 5), 5, 2);

        restart(fsync);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 5));
        assertThat(replica.ackedSeq()).isEqualTo(5);
        assertThat(replica.epoch()).isEqualTo(2);
        assertThat(replica.status("s")).isEqualTo(new ReplicationStatus("s", 5, 50, 2, 2));
        assertThat(store.readRecords(1, 100)).extracting(LogRecord::epoch).containsOnly(2L);
        // and it goes on from there: a duplicate is deduplicated, the next batch appended
        expectAcked(batch(2, 4, 5), 5, 2);
        expectAcked(batch(2, 6, 7), 7, 2);
        assertThat(store.read(1, 100)).isEqualTo(entries(1, 7));
    }

    @Test
    void anEpochAdoptedWithoutEntriesSurvivesARestartAndAStaleMasterIsRefused() {
        start(FsyncMode.GROUP);
        expectAcked(batch(1, 1, 2), 2, 1);
        // a new master's first contact: no entries, just its epoch
        expectAcked(new AppendRequest(3, 2, 20, List.of()), 2, 3);
        assertThat(Files.exists(dataDir.resolve("epoch"))).isTrue();

        restart(FsyncMode.GROUP);

        assertThat(replica.epoch()).isEqualTo(3);
        StepVerifier.create(replica.append(batch(2, 3, 3)))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(AppendRejectedException.class);
                    assertThat(((AppendRejectedException) error).reason()).isEqualTo(RejectReason.STALE_EPOCH);
                    assertThat(((AppendRejectedException) error).epoch()).isEqualTo(3);
                    assertThat(((AppendRejectedException) error).ackedSeq()).isEqualTo(2);
                })
                .verify(TIMEOUT);
        assertThat(store.read(1, 100)).isEqualTo(entries(1, 2));
    }

    @Test
    void theEpochIsDurableBeforeTheBatchThatRaisedItIsAnswered() {
        start(FsyncMode.GROUP);

        expectAcked(batch(7, 1, 1), 1, 7);

        assertThat(new EpochFile(dataDir.resolve("epoch")).read()).isEqualTo(7);
    }

    @Test
    void aNewEpochTheDiskRefusesAppendsNothingAndTheResentBatchIsTakenOnceItCan() throws Exception {
        start(FsyncMode.GROUP);
        expectAcked(batch(1, 1, 2), 2, 1);
        // the epoch file's temporary name taken by a directory: the OS refuses the write, as a full disk would
        Path inTheWay = Files.createDirectory(dataDir.resolve("epoch.tmp"));

        StepVerifier.create(replica.append(batch(2, 3, 4)))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(AppendFailedException.class)
                        .hasMessageContaining("nothing was appended"))
                .verify(TIMEOUT);
        assertThat(replica.epoch()).isEqualTo(1);
        assertThat(store.read(1, 100)).isEqualTo(entries(1, 2));

        Files.delete(inTheWay);
        expectAcked(batch(2, 3, 4), 4, 2);
        assertThat(new EpochFile(dataDir.resolve("epoch")).read()).isEqualTo(2);
    }

    @Test
    void withoutItsEpochFileAReplicaFollowsTheEpochOfItsLastRecord() throws Exception {
        start(FsyncMode.GROUP);
        expectAcked(batch(4, 1, 2), 2, 4);
        stop();
        Files.delete(dataDir.resolve("epoch"));

        start(FsyncMode.GROUP);

        assertThat(replica.epoch()).isEqualTo(4);
        assertThat(new EpochFile(dataDir.resolve("epoch")).read()).isEqualTo(4);
    }

    @Test
    void aRollbackToTheMastersLastSeqSurvivesARestart() {
        LongUnaryOperator oldMaster = seq -> seq <= 3 ? seq * 10 : seq * 10 + 1;
        start(FsyncMode.GROUP);
        expectAcked(batch(1, 1, 6, oldMaster), 6, 1);

        expectAcked(new AppendRequest(2, 3, 30, List.of(), 3L), 3, 2);
        restart(FsyncMode.GROUP);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 3));
        assertThat(replica.status("s")).isEqualTo(new ReplicationStatus("s", 3, 30, 2, 1));
        expectAcked(batch(2, 4, 5), 5, 2);
        assertThat(store.read(1, 100)).isEqualTo(entries(1, 5));
    }

    @Test
    void aNewNodeStartsEmptyAtEpochZero() {
        start(FsyncMode.GROUP);

        assertThat(replica.status("s")).isEqualTo(new ReplicationStatus("s", 0, 0, 0, 0));
    }

    @Test
    void anUnreadableEpochFileStopsTheNodeInsteadOfForgettingTheEpoch() throws Exception {
        Files.writeString(dataDir.resolve("epoch"), "seven\n", StandardCharsets.US_ASCII);
        store = FileLogStore.open(dataDir.resolve("log"));

        assertThatThrownBy(() -> new ReplicaLog(store, new ReplicaMetrics(new SimpleMeterRegistry(), store),
                new EpochFile(dataDir.resolve("epoch")), 100, 1024, Duration.ZERO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("epoch file")
                .hasMessageContaining("refusing to start");
    }

    @Test
    void storeCallsRunOnTheWriterThreadAndAnswersComeFromTheThreadThatCompletedTheWrite() {
        store = FileLogStore.open(dataDir.resolve("log"), FsyncMode.GROUP, 4096);
        ThreadRecordingStore recording = new ThreadRecordingStore(store);
        replica = new ReplicaLog(recording, new ReplicaMetrics(new SimpleMeterRegistry(), recording),
                new EpochFile(dataDir.resolve("epoch")), 100, 1024, Duration.ZERO);
        Set<String> answeredOn = ConcurrentHashMap.newKeySet();

        // subscribed from a parallel thread, as a request handler would be from an event loop
        for (AppendRequest request : List.of(batch(1, 1, 3), batch(1, 4, 6), new AppendRequest(2, 3, 30, List.of(), 3L),
                batch(2, 4, 5))) {
            StepVerifier.create(Mono.defer(() -> replica.append(request)).subscribeOn(Schedulers.parallel())
                            .doOnNext(answer -> answeredOn.add(Thread.currentThread().getName())))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        assertThat(recording.writerThreads).containsExactly("replica-writer");
        // no hop to another thread: the writer leads the group fsync of its batch and answers
        assertThat(answeredOn).containsExactly("replica-writer");
        assertThat(store.read(1, 100)).isEqualTo(entries(1, 5));
    }

    private void start(FsyncMode fsync) {
        store = FileLogStore.open(dataDir.resolve("log"), fsync, 256);
        replica = new ReplicaLog(store, new ReplicaMetrics(new SimpleMeterRegistry(), store),
                new EpochFile(dataDir.resolve("epoch")), 100, 1024, Duration.ZERO);
    }

    private void stop() {
        if (replica != null) {
            replica.close();
            replica = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    private void restart(FsyncMode fsync) {
        stop();
        start(fsync);
    }

    private void expectAcked(AppendRequest request, long ackedSeq, long epoch) {
        StepVerifier.create(replica.append(request))
                .expectNext(new AppendResponse(ackedSeq, epoch))
                .expectComplete()
                .verify(TIMEOUT);
    }

    /** A store that notes which threads call its writing methods. */
    private static final class ThreadRecordingStore extends ForwardingLogStore {

        final Set<String> writerThreads = ConcurrentHashMap.newKeySet();

        ThreadRecordingStore(LogStore delegate) {
            super(delegate);
        }

        @Override
        public CompletableFuture<Long> append(List<Entry> entries) {
            writerThreads.add(Thread.currentThread().getName());
            return delegate.append(entries);
        }

        @Override
        public CompletableFuture<Long> appendRecords(List<LogRecord> records) {
            writerThreads.add(Thread.currentThread().getName());
            return delegate.appendRecords(records);
        }

        @Override
        public void truncateAfter(long seq) {
            writerThreads.add(Thread.currentThread().getName());
            delegate.truncateAfter(seq);
        }
    }
}
