package dev.replog.master.writeconcern;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

class AckTrackerTest {

    private final AckTracker tracker = new AckTracker(3);

    @Test
    void aWaitForOneNodeCompletesWhenTheMasterHoldsTheEntry() {
        tracker.masterDurable(1);
        StepVerifier.create(tracker.awaitAcks(1, 1)).expectNext(1).expectComplete().verify(Duration.ofSeconds(1));
    }

    @Test
    void anAdvanceReportedLateNeverLowersAWatermarkButCompletesWaitsWhenItRaisesOne() {
        AtomicReference<Integer> result = new AtomicReference<>();
        tracker.masterDurable(10);
        tracker.awaitAcks(8, 2).subscribe(result::set);
        tracker.secondaryAdvanced(1, 9);
        assertThat(result.get()).isEqualTo(2);
        tracker.secondaryAdvanced(1, 4); // the answer to an earlier pipelined batch, arriving late
        assertThat(tracker.watermark(1)).isEqualTo(9);
    }

    @Test
    void aWaitCompletesOnlyWhenTheWthLargestWatermarkReachesItsSeq() {
        AtomicReference<Integer> result = new AtomicReference<>();
        Disposable waiting = tracker.awaitAcks(2, 3).subscribe(result::set);
        tracker.masterDurable(2);
        tracker.secondaryAcked(1, 2);
        assertThat(result.get()).as("two of three nodes hold seq 2").isNull();
        tracker.secondaryAcked(2, 1);
        assertThat(result.get()).as("the third node holds only seq 1").isNull();
        tracker.secondaryAcked(2, 5);
        assertThat(result.get()).isEqualTo(3);
        assertThat(waiting.isDisposed()).isTrue();
        assertThat(tracker.pendingWaiters()).isZero();
    }

    @Test
    void oneWatermarkMoveCompletesEveryWaiterAtOrBelowTheCommittedSeqAndNoOther() {
        AtomicReference<Integer> first = new AtomicReference<>();
        AtomicReference<Integer> second = new AtomicReference<>();
        AtomicReference<Integer> third = new AtomicReference<>();
        tracker.masterDurable(3);
        tracker.awaitAcks(1, 2).subscribe(first::set);
        tracker.awaitAcks(2, 2).subscribe(second::set);
        tracker.awaitAcks(3, 2).subscribe(third::set);

        tracker.secondaryAcked(2, 2);

        assertThat(first.get()).isEqualTo(2);
        assertThat(second.get()).isEqualTo(2);
        assertThat(third.get()).isNull();
        assertThat(tracker.pendingWaiters()).isEqualTo(1);
    }

    @Test
    void theAnswerCountsEveryNodeHoldingTheEntryNotJustTheRequiredOnes() {
        tracker.masterDurable(1);
        tracker.secondaryAcked(1, 1);
        tracker.secondaryAcked(2, 1);
        StepVerifier.create(tracker.awaitAcks(1, 1)).expectNext(3).verifyComplete();
    }

    @Test
    void aCancelledWaitIsForgotten() {
        Disposable waiting = tracker.awaitAcks(1, 3).subscribe();
        assertThat(tracker.pendingWaiters()).isEqualTo(1);
        waiting.dispose();
        assertThat(tracker.pendingWaiters()).isZero();
    }

    @Test
    void aWaitTimesOutWithVirtualTimeWhileTheEntryStaysUnacknowledged() {
        StepVerifier.withVirtualTime(() -> tracker.awaitAcks(1, 2).timeout(Duration.ofSeconds(5)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(5))
                .expectError(java.util.concurrent.TimeoutException.class)
                .verify(Duration.ofSeconds(1));
        assertThat(tracker.pendingWaiters()).isZero();
    }

    @Test
    void aSecondaryThatLostEntriesNoLongerCountsForThem() {
        tracker.masterDurable(4);
        tracker.secondaryAcked(1, 4);
        assertThat(tracker.committed(2)).isEqualTo(4);
        tracker.secondaryAcked(1, 0);
        assertThat(tracker.committed(2)).isZero();
        assertThat(tracker.acks(4)).isEqualTo(1);
    }

    @Test
    void aSupersededTrackerEndsEveryWaitAsIndefiniteAndCompletesNoneLater() {
        AtomicReference<Throwable> pending = new AtomicReference<>();
        AtomicReference<Integer> completed = new AtomicReference<>();
        tracker.masterDurable(6);
        tracker.secondaryAcked(1, 5);
        tracker.awaitAcks(6, 2).subscribe(completed::set, pending::set);

        tracker.supersede(SupersededException.Supersession.byEpoch("s2", 9, 4));
        assertThat(pending.get()).isInstanceOfSatisfying(SupersededException.class, superseded -> {
            assertThat(superseded.status().value()).isEqualTo(503);
            assertThat(superseded.title()).isEqualTo("Superseded");
            assertThat(superseded.getMessage()).contains("s2 follows epoch 9", "epoch 4", "may or may not survive");
            assertThat(superseded.properties()).containsEntry("seq", 6L).containsEntry("acks", 1)
                    .containsEntry("w", 2);
        });
        assertThat(tracker.pendingWaiters()).isZero();

        // an answer that comes afterwards (a node that took the old epoch) completes nothing
        tracker.secondaryAdvanced(1, 6);
        tracker.secondaryAcked(2, 6);
        assertThat(completed.get()).isNull();
        StepVerifier.create(tracker.awaitAcks(5, 1)).expectError(SupersededException.class)
                .verify(Duration.ofSeconds(1));
    }

    @Test
    void aTruncationLowersTheMastersWatermarkSoAnEntryAtThatSeqCountsOnlyOnceDurableAgain() {
        tracker.masterDurable(10);
        tracker.truncatedAfter(4);
        assertThat(tracker.watermark(0)).isEqualTo(4);

        AtomicReference<Integer> result = new AtomicReference<>();
        tracker.awaitAcks(6, 1).subscribe(result::set);
        assertThat(result.get()).as("seq 6 was appended again, not yet durable").isNull();
        tracker.durableUpTo(6);
        assertThat(result.get()).isEqualTo(1);
    }

    @Test
    void loweringASecondaryNeverRaisesItsWatermark() {
        tracker.secondaryAdvanced(1, 9);
        tracker.secondaryLowered(1, 12);
        assertThat(tracker.watermark(1)).isEqualTo(9);
        tracker.secondaryLowered(1, 4);
        assertThat(tracker.watermark(1)).isEqualTo(4);
    }
}
