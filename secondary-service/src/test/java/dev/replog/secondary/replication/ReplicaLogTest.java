package dev.replog.secondary.replication;

import static dev.replog.secondary.replication.Batches.batch;
import static dev.replog.secondary.replication.Batches.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.log.LogRecord;
import dev.replog.common.log.LogStore;
import dev.replog.common.log.testing.ForwardingLogStore;
import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.common.text.Utf8;
import dev.replog.common.web.PayloadTooLargeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class ReplicaLogTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A log an older master wrote: same ids up to seq 3, different ones after. */
    private static final LongUnaryOperator OLD_MASTER_ID = seq -> seq <= 3 ? seq * 10 : seq * 10 + 1;

    private final LogStore store = new InMemoryLogStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<ReplicaLog> opened = new ArrayList<>();
    @TempDir
    private Path dataDir;
    private ReplicaLog replica;

    @BeforeEach
    void openReplica() {
        replica = open(100, "epoch");
    }

    @AfterEach
    void closeReplicas() {
        opened.forEach(ReplicaLog::close);
    }

    /** A replica that answers a batch past a gap at once (409), as most of these cases need. */
    private ReplicaLog open(int maxPending, String epochFile) {
        return open(maxPending, epochFile, Duration.ZERO);
    }

    private ReplicaLog open(int maxPending, String epochFile, Duration gapWait) {
        ReplicaLog log = new ReplicaLog(store, new ReplicaMetrics(opened.isEmpty() ? registry : new SimpleMeterRegistry(),
                store), new EpochFile(dataDir.resolve(epochFile)), maxPending, 64, gapWait);
        opened.add(log);
        return log;
    }

    @Test
    void answersABatchThatOvertookItsPredecessorOnceThePredecessorFillsTheGap() {
        ReplicaLog waiting = open(100, "waiting-epoch", Duration.ofSeconds(30));
        var overtaker = waiting.append(batch(1, 3, 4)).toFuture();

        await().during(Duration.ofMillis(200)).atMost(TIMEOUT).until(() -> !overtaker.isDone());
        assertThat(store.lastSeq()).as("held aside, unseen").isZero();

        StepVerifier.create(waiting.append(batch(1, 1, 2))).expectNext(new AppendResponse(4, 1)).verifyComplete();
        assertThat(overtaker).succeedsWithin(TIMEOUT).isEqualTo(new AppendResponse(4, 1));
        assertThat(store.read(1, 100)).isEqualTo(entries(1, 4));
    }

    @Test
    void answersAHeldBatchOnlyOnceTheWriteThatAppliedItIsDurable() {
        FsyncGatedStore gated = new FsyncGatedStore(new InMemoryLogStore());
        ReplicaLog waiting = new ReplicaLog(gated, new ReplicaMetrics(new SimpleMeterRegistry(), gated),
                new EpochFile(dataDir.resolve("gated-epoch")), 100, 64, Duration.ofSeconds(30));
        opened.add(waiting);
        var overtaker = waiting.append(batch(1, 3, 4)).toFuture();
        var predecessor = waiting.append(batch(1, 1, 2)).toFuture();

        await().atMost(TIMEOUT).until(() -> gated.lastSeq() == 4);
        await().during(Duration.ofMillis(200)).atMost(TIMEOUT)
                .until(() -> !overtaker.isDone() && !predecessor.isDone());

        gated.fsync();
        assertThat(overtaker).succeedsWithin(TIMEOUT).isEqualTo(new AppendResponse(4, 1));
        assertThat(predecessor).succeedsWithin(TIMEOUT).isEqualTo(new AppendResponse(4, 1));
    }

    @Test
    void keepsAHeldBatchOfThisEpochWhenAnEarlierBuiltBatchNamesAnOlderEndOfTheLog() {
        ReplicaLog waiting = open(100, "waiting-epoch", Duration.ofSeconds(30));
        AppendRequest later = batch(1, 3, 4);
        var overtaker = waiting.append(new AppendRequest(1, later.prevSeq(), later.prevId(), later.entries(), 4L))
                .toFuture();

        // built when the master's log ended at seq 2, it arrives after the batch built later
        StepVerifier.create(waiting.append(new AppendRequest(1, 0, 0, entries(1, 2), 2L)))
                .expectNext(new AppendResponse(4, 1)).verifyComplete();

        assertThat(overtaker).succeedsWithin(TIMEOUT).isEqualTo(new AppendResponse(4, 1));
        assertThat(store.read(1, 100)).isEqualTo(entries(1, 4));
    }

    @Test
    void refusesABatchPastAGapAfterTheGapWaitAndStillAppliesItWhenTheGapFills() {
        ReplicaLog waiting = open(100, "waiting-epoch", Duration.ofMillis(100));

        expectRejected(waiting, batch(1, 3, 4), RejectReason.GAP, 0, 1);

        StepVerifier.create(waiting.append(batch(1, 1, 2))).expectNext(new AppendResponse(4, 1)).verifyComplete();
        assertThat(store.read(1, 100)).isEqualTo(entries(1, 4));
    }

    @Test
    void refusesAWaitingBatchAtOnceWhenItIsDropped() {
        ReplicaLog waiting = open(100, "waiting-epoch", Duration.ofSeconds(30));
        var overtaker = waiting.append(batch(1, 4, 5)).toFuture();

        // a new master whose log ends at seq 3: the held entries 4..5 of the older epoch are forgotten
        StepVerifier.create(waiting.append(batch(2, 1, 3))).expectNext(new AppendResponse(3, 2)).verifyComplete();

        assertThat(overtaker).failsWithin(TIMEOUT).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(AppendRejectedException.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(RejectReason.GAP));
        assertThat(store.read(1, 100)).isEqualTo(entries(1, 3));
    }

    @Test
    void appendsBatchesThatContinueTheLog() {
        expectAcked(batch(1, 1, 3), 3, 1);
        expectAcked(batch(1, 4, 5), 5, 1);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 5));
        assertThat(counter("replog.secondary.appended.entries")).isEqualTo(5);
        assertThat(registry.get("replog.log.append").timer().count()).as("one store write per batch").isEqualTo(2);
    }

    @Test
    void answersADuplicateBatchWithTheWatermarkAndStoresItOnce() {
        expectAcked(batch(1, 1, 3), 3, 1);
        expectAcked(batch(1, 4, 5), 5, 1);

        expectAcked(batch(1, 1, 3), 5, 1);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 5));
        assertThat(counter("replog.secondary.duplicate.entries")).isEqualTo(3);
        assertThat(counter("replog.secondary.appended.entries")).isEqualTo(5);
    }

    @Test
    void appendsOnlyTheNewEntriesOfABatchThatOverlapsTheLog() {
        expectAcked(batch(1, 1, 3), 3, 1);

        expectAcked(batch(1, 2, 6), 6, 1);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 6));
        assertThat(counter("replog.secondary.duplicate.entries")).isEqualTo(2);
    }

    @Test
    void answersAnEmptyBatchWithTheWatermark() {
        expectAcked(new AppendRequest(1, 0, 0, List.of()), 0, 1);
        expectAcked(batch(1, 1, 2), 2, 1);

        expectAcked(new AppendRequest(1, 2, 20, List.of()), 2, 1);
        expectAcked(new AppendRequest(1, 1, 10, List.of()), 2, 1);
    }

    @Test
    void hidesEntriesPastAGapUntilTheGapFills() {
        expectAcked(batch(1, 1, 2), 2, 1);

        expectRejected(batch(1, 4, 4), RejectReason.GAP, 2, 1);
        expectRejected(batch(1, 5, 6), RejectReason.GAP, 2, 1);

        assertThat(store.lastSeq()).isEqualTo(2);
        assertThat(gauge("replog.secondary.pending.entries")).isEqualTo(3);

        expectAcked(batch(1, 3, 3), 6, 1);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 6));
        assertThat(gauge("replog.secondary.pending.entries")).isZero();
        assertThat(counter("replog.secondary.appended.entries")).isEqualTo(6);
    }

    @Test
    void appliesHeldAsideEntriesThatOverlapWhatTheGapFillerBrought() {
        expectRejected(batch(1, 3, 6), RejectReason.GAP, 0, 1);

        expectAcked(batch(1, 1, 4), 6, 1);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 6));
    }

    @Test
    void dropsHeldAsideEntriesThatTheLogAlreadyHolds() {
        expectRejected(batch(1, 3, 4), RejectReason.GAP, 0, 1);

        expectAcked(batch(1, 1, 5), 5, 1);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 5));
        assertThat(gauge("replog.secondary.pending.entries")).isZero();
    }

    @Test
    void keepsAtMostMaxPendingEntriesAsideDroppingTheFarthest() {
        ReplicaLog small = open(4, "small-epoch");
        expectRejected(small, batch(1, 3, 4), RejectReason.GAP, 0, 1);
        expectRejected(small, batch(1, 7, 8), RejectReason.GAP, 0, 1);
        expectRejected(small, batch(1, 5, 6), RejectReason.GAP, 0, 1);

        StepVerifier.create(small.append(batch(1, 1, 2)))
                .expectNext(new AppendResponse(6, 1))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 6));
    }

    @Test
    void refusesAStaleEpochAndChangesNothing() {
        expectAcked(batch(2, 1, 2), 2, 2);

        expectRejected(batch(1, 3, 4), RejectReason.STALE_EPOCH, 2, 2);
        expectRejected(batch(1, 1, 2), RejectReason.STALE_EPOCH, 2, 2);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 2));
        assertThat(replica.epoch()).isEqualTo(2);
        assertThat(registry.get("replog.secondary.rejected.batches").tag("reason", "stale-epoch").counter().count())
                .isEqualTo(2);
    }

    @Test
    void followsAHigherEpoch() {
        expectAcked(batch(1, 1, 2), 2, 1);

        expectAcked(batch(3, 3, 3), 3, 3);

        assertThat(replica.epoch()).isEqualTo(3);
    }

    @Test
    void forgetsEntriesHeldAsideForAnOlderEpoch() {
        expectAcked(batch(1, 1, 2), 2, 1);
        expectRejected(batch(1, 4, 5), RejectReason.GAP, 2, 1);

        // the new master's log ends at seq 3: what the old one sent past it must not reappear
        expectAcked(batch(2, 3, 3), 3, 2);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 3));
        assertThat(gauge("replog.secondary.pending.entries")).isZero();
    }

    @Test
    void refusesABatchWhosePreviousEntryDiffersFromTheLog() {
        expectAcked(batch(1, 1, 5, OLD_MASTER_ID), 5, 1);

        // the master's entry at seq 4 has id 40; this log holds id 41 there
        expectRejected(batch(2, 5, 6), RejectReason.MISMATCH, 3, 2);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 5, OLD_MASTER_ID));
        assertThat(registry.get("replog.secondary.rejected.batches").tag("reason", "mismatch").counter().count())
                .isEqualTo(1);
    }

    @Test
    void rollsBackEntriesThatANewerMasterOverwrites() {
        expectAcked(batch(1, 1, 5, OLD_MASTER_ID), 5, 1);

        expectAcked(batch(2, 3, 4), 4, 2);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 4));
        assertThat(counter("replog.secondary.rolledback.entries")).isEqualTo(2);
    }

    @Test
    void rollsBackEntriesThatAMasterOfTheSameEpochOverwrites() {
        expectAcked(batch(1, 1, 5, OLD_MASTER_ID), 5, 1);
        // the new master's first contact: its epoch is adopted, nothing else changes
        expectAcked(new AppendRequest(2, 1, 10, List.of()), 5, 2);

        expectAcked(batch(2, 2, 6), 6, 2);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 6));
    }

    @Test
    void refusesAMessageOverTheSizeLimitAndChangesNothing() {
        String big = "é".repeat(33); // 66 bytes in UTF-8, 33 chars
        AppendRequest request = new AppendRequest(1, 0, 0, List.of(new Entry(1, 10, big)));

        StepVerifier.create(replica.append(request))
                .expectError(PayloadTooLargeException.class)
                .verify(TIMEOUT);

        assertThat(store.lastSeq()).isZero();
        expectAcked(new AppendRequest(1, 0, 0, List.of(new Entry(1, 10, "é".repeat(32)))), 1, 1);
    }

    @Test
    void countsUtf8BytesOfMessagesExactly() {
        assertThat(Utf8.longerThan("abcd", 4)).isFalse();
        assertThat(Utf8.longerThan("abcde", 4)).isTrue();
        assertThat(Utf8.longerThan("€€", 6)).isFalse();
        assertThat(Utf8.longerThan("€€", 5)).isTrue();
        assertThat(Utf8.longerThan("😀", 4)).isFalse();
        assertThat(Utf8.longerThan("😀😀", 7)).isTrue();
    }

    @Test
    void storesEachEntryWithTheEpochOfTheMasterThatWroteIt() {
        expectAcked(batch(1, 1, 2), 2, 1);
        expectAcked(batch(3, 3, 4), 4, 3);

        assertThat(store.readRecords(1, 10)).extracting(LogRecord::epoch).containsExactly(1L, 1L, 3L, 3L);
        assertThat(store.readRecords(1, 10)).extracting(LogRecord::toEntry).isEqualTo(entries(1, 4));
    }

    @Test
    void anEmptyBatchWithTheMastersLastSeqRollsBackWhatLiesPastIt() {
        expectAcked(batch(1, 1, 5, OLD_MASTER_ID), 5, 1);

        // a new master whose log ends at seq 3 (same entries as this log up to there)
        expectAcked(new AppendRequest(2, 3, 30, List.of(), 3L), 3, 2);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 3));
        assertThat(counter("replog.secondary.rolledback.entries")).isEqualTo(2);
        assertThat(replica.status("s1")).isEqualTo(new ReplicationStatus("s1", 3, 30, 2, 1));
    }

    @Test
    void aBatchWithTheMastersLastSeqRollsBackWhatLiesPastIt() {
        expectAcked(batch(1, 1, 5), 5, 1);

        expectAcked(new AppendRequest(2, 2, 20, entries(3, 3), 3L), 3, 2);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 3));
        assertThat(counter("replog.secondary.rolledback.entries")).isEqualTo(2);
        expectAcked(new AppendRequest(2, 3, 30, entries(4, 4, seq -> 41), 4L), 4, 2);
        assertThat(store.read(4, 1)).containsExactly(new Entry(4, 41, "message 4"));
    }

    @Test
    void theMastersLastSeqChangesNothingWhenTheLogEndsBeforeIt() {
        expectAcked(batch(1, 1, 3), 3, 1);

        expectAcked(new AppendRequest(1, 3, 30, List.of(), 9L), 3, 1);
        expectAcked(new AppendRequest(1, 3, 30, entries(4, 4), 4L), 4, 1);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 4));
        assertThat(counter("replog.secondary.rolledback.entries")).isZero();
    }

    @Test
    void aRefusedBatchRollsNothingBackTheMasterTrimsOnceTheLogsMatch() {
        expectAcked(batch(1, 1, 5, OLD_MASTER_ID), 5, 1);

        // the new master's log ends at seq 4 with id 40; this log holds id 41 there
        expectRejected(new AppendRequest(2, 4, 40, List.of(), 4L), RejectReason.MISMATCH, 3, 2);
        assertThat(store.read(1, 100)).isEqualTo(entries(1, 5, OLD_MASTER_ID));

        expectAcked(new AppendRequest(2, 3, 30, entries(4, 4), 4L), 4, 2);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 4));
        assertThat(counter("replog.secondary.rolledback.entries")).isEqualTo(2);
    }

    @Test
    void aStaleLastSeqOfTheSameMasterNeverRollsBackEntriesThatMasterShipped() {
        expectAcked(batch(2, 1, 5), 5, 2);

        // sent before entries 4..5 existed, delivered after them (a delayed request)
        expectAcked(new AppendRequest(2, 2, 20, entries(3, 3), 3L), 5, 2);

        assertThat(store.read(1, 100)).isEqualTo(entries(1, 5));
        assertThat(counter("replog.secondary.rolledback.entries")).isZero();
    }

    @Test
    void reportsItsWatermarkLastIdAndEpochAsStatus() {
        assertThat(replica.status("s1")).isEqualTo(new ReplicationStatus("s1", 0, 0, 0, 0));

        expectAcked(batch(4, 1, 3), 3, 4);

        assertThat(replica.status("s1")).isEqualTo(new ReplicationStatus("s1", 3, 30, 4, 4));
    }

    private void expectAcked(AppendRequest request, long ackedSeq, long epoch) {
        StepVerifier.create(replica.append(request))
                .expectNext(new AppendResponse(ackedSeq, epoch))
                .expectComplete()
                .verify(TIMEOUT);
    }

    private void expectRejected(AppendRequest request, RejectReason reason, long ackedSeq, long epoch) {
        expectRejected(replica, request, reason, ackedSeq, epoch);
    }

    private static void expectRejected(ReplicaLog replica, AppendRequest request, RejectReason reason,
            long ackedSeq, long epoch) {
        StepVerifier.create(replica.append(request))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(AppendRejectedException.class);
                    AppendRejectedException rejected = (AppendRejectedException) error;
                    assertThat(rejected.reason()).isEqualTo(reason);
                    assertThat(rejected.ackedSeq()).isEqualTo(ackedSeq);
                    assertThat(rejected.epoch()).isEqualTo(epoch);
                })
                .verify(TIMEOUT);
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    /** Writes at once but makes them durable only when the test calls {@link #fsync}: a slow disk. */
    private static final class FsyncGatedStore extends ForwardingLogStore {

        private final List<CompletableFuture<Long>> waiting = new ArrayList<>();
        private volatile long durable;

        FsyncGatedStore(LogStore delegate) {
            super(delegate);
        }

        @Override
        public long durableSeq() {
            return durable;
        }

        @Override
        public synchronized CompletableFuture<Long> appendRecords(List<LogRecord> records) {
            delegate.appendRecords(records);
            CompletableFuture<Long> done = new CompletableFuture<>();
            waiting.add(done);
            return done;
        }

        /** Every write so far becomes durable. */
        synchronized void fsync() {
            durable = delegate.lastSeq();
            waiting.forEach(done -> done.complete(durable));
            waiting.clear();
        }
    }
}
