package dev.replog.master.log;

import dev.replog.master.ids.IdSource;

import static dev.replog.master.log.LogFixtures.epochOne;
import static dev.replog.master.log.LogFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.master.writeconcern.AckTracker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A recovering master that drops the entries of its log another master's log does not hold:
 * they leave the store, the entries kept in memory for the replicators and the remembered
 * idempotency keys (a retry of one is a new write), while the keys of the entries kept still answer.
 */
class MessageLogTruncateTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Scheduler writer = Schedulers.newSingle("test-log-writer");

    @AfterEach
    void stop() {
        writer.dispose();
    }

    @Test
    void droppedEntriesLeaveTheStoreTheMemoryAndTheRememberedKeys() {
        InMemoryLogStore store = new InMemoryLogStore();
        store.appendRecords(List.of(record(1, ""), record(2, "kept"), record(3, ""), record(4, "dropped"))).join();
        MessageLog messages = new MessageLog(store, idsPast(100), epochOne(), writer, 1000);
        Appended appended = messages.append("m5", "dropped-too").block(TIMEOUT);
        assertThat(appended.entry().seq()).isEqualTo(5);
        assertThat(messages.recentEntry(5)).as("held in memory for the replicators").isNotNull();

        messages.truncateAfter(3).block(TIMEOUT);

        assertThat(messages.lastSeq()).isEqualTo(3);
        assertThat(messages.recentEntry(5)).as("a dropped entry must not be shipped from memory").isNull();
        assertThat(messages.recentEntries(4, 2)).isNull();
        Appended kept = messages.append("m2", "kept").block(TIMEOUT);
        assertThat(kept.replay()).as("the retry of a kept entry").isTrue();
        assertThat(kept.entry().seq()).isEqualTo(2);
        Appended again = messages.append("m4", "dropped").block(TIMEOUT);
        assertThat(again.replay()).as("the retry of a dropped entry is a new write").isFalse();
        assertThat(again.entry().seq()).isEqualTo(4);
        assertThat(messages.append("m5", "dropped-too").block(TIMEOUT).replay()).isFalse();
        assertThat(store.lastSeq()).isEqualTo(5);
    }

    @Test
    void aTruncationTakesTheMastersWatermarkDownSoARetryAtADroppedSeqCountsOnlyOnceDurableAgain() {
        DurableOnRelease store = new DurableOnRelease();
        store.appendRecords(List.of(record(1, ""), record(2, ""), record(3, ""), record(4, "dropped"),
                record(5, "")));
        store.release();
        AckTracker tracker = new AckTracker(1);
        MessageLog messages = new MessageLog(store, idsPast(100), epochOne(), writer, 1000);
        messages.addDurabilityListener(tracker);
        assertThat(tracker.watermark(0)).isEqualTo(5);

        messages.truncateAfter(3).block(TIMEOUT);
        assertThat(tracker.watermark(0)).as("follows the log down").isEqualTo(3);

        // the client's retry: its entry was dropped, so it is written again, at seq 4, not yet durable
        var again = messages.append("m4", "dropped").toFuture();
        await().atMost(TIMEOUT).until(() -> store.lastSeq() == 4);
        AtomicReference<Integer> acks = new AtomicReference<>();
        tracker.awaitAcks(4, 1).subscribe(acks::set);
        assertThat(again).as("not answered before its fsync").isNotDone();
        assertThat(acks.get()).as("w=1 is not met before the fsync").isNull();

        store.release();
        await().atMost(TIMEOUT).until(() -> acks.get() != null);
        assertThat(acks.get()).isEqualTo(1);
        assertThat(again).succeedsWithin(TIMEOUT).extracting(appended -> appended.entry().seq()).isEqualTo(4L);
    }

    @Test
    void truncatingAtTheEndChangesNothing() {
        InMemoryLogStore store = new InMemoryLogStore();
        store.appendRecords(List.of(record(1, ""), record(2, "kept"))).join();
        MessageLog messages = new MessageLog(store, idsPast(100), epochOne(), writer, 1000);

        messages.truncateAfter(2).block(TIMEOUT);
        messages.truncateAfter(5).block(TIMEOUT);

        assertThat(messages.lastSeq()).isEqualTo(2);
        assertThat(messages.append("m2", "kept").block(TIMEOUT).replay()).isTrue();
    }

    private static IdSource idsPast(long id) {
        CountingIds ids = new CountingIds();
        ids.advancePast(id);
        return ids;
    }
}
