package dev.replog.master.log;

import static dev.replog.master.log.LogFixtures.epochOne;
import static dev.replog.master.log.LogFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.replog.common.log.AppendFailedException;
import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.log.LogRecord;
import dev.replog.common.log.testing.ForwardingLogStore;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.KeyedEntries;
import dev.replog.master.ids.IdSource;
import dev.replog.master.writeconcern.AckTracker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The master's log ({@link MessageLog}): the watermark it announces, the idempotency keys it
 * reloads at start, retries that meet the request they repeat in one group write, and truncation
 * by recovery.
 */
class MessageLogTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * The master's durable watermark (what write-concern waits count the master by) moves with every
     * group made durable, also when every request of the group went away during its fsync: a retry
     * of one of them with the same {@code Idempotency-Key} is answered from the remembered keys and
     * waits on that watermark (with {@code w=all}, nothing else would move it on an idle cluster).
     */
    @Nested
    class TheDurableWatermark {


        private final Scheduler writer = Schedulers.newSingle("test-log-writer");
        private final DurableOnRelease store = new DurableOnRelease();
        private final AtomicLong durable = new AtomicLong();
        private final MessageLog messages = new MessageLog(store, new CountingIds(), epochOne(), writer, 100);

        {
            messages.addDurabilityListener(seq -> durable.accumulateAndGet(seq, Math::max));
        }

        @AfterEach
        void stop() {
            writer.dispose();
        }

        @Test
        void aGroupWhoseRequestsAllWentAwayDuringItsFsyncStillMovesTheDurableWatermark() {
            Disposable request = messages.append("m", "order-1").subscribe();
            await().atMost(TIMEOUT).until(() -> messages.lastSeq() == 1);
            request.dispose(); // the client timed out while the fsync ran

            store.release();
            await().atMost(TIMEOUT).until(() -> durable.get() == 1);

            Appended retry = messages.append("m", "order-1").block(TIMEOUT);
            assertThat(retry.replay()).isTrue();
            assertThat(retry.entry().seq()).isEqualTo(1);
        }
    }

    /**
     * The idempotency keys a master reloads from its log at start: those of its last
     * {@code rememberedKeys} records, and a batch written with one key that straddles that start whole.
     */
    @Nested
    class KeysReloadedAtStart {


        private final Scheduler writer = Schedulers.newSingle("test-log-writer");

        @AfterEach
        void stop() {
            writer.dispose();
        }

        @Test
        void aBatchThatStraddlesTheStartOfTheRememberedRecordsIsRememberedWhole() {
            InMemoryLogStore store = new InMemoryLogStore();
            store.appendRecords(List.of(record(1, "batch"), record(2, "batch"), record(3, "batch"), record(4, "single"),
                    record(5, ""))).join();
            MessageLog messages = new MessageLog(store, new CountingIds(), epochOne(), writer, 3);

            AppendedBatch replay = messages.appendAll(List.of("m1", "m2", "m3"), "batch").block(TIMEOUT);

            assertThat(replay.replay()).isTrue();
            assertThat(replay.entries()).extracting(Entry::seq).containsExactly(1L, 2L, 3L);
            assertThat(messages.append("m4", "single").block(TIMEOUT).replay()).isTrue();
            assertThat(store.lastSeq()).as("nothing appended").isEqualTo(5);
        }
    }

    /**
     * The keys a running master remembers are those of the writes that hold one of its last
     * {@code rememberedEntries} entries (keyed or not), as after a restart and after a recovery that
     * fetched entries: a producer's keyed batches of hundreds
     * count their messages, not one key each (remembering 100,000 such batches held every message of
     * the last millions in memory, and the master ground to a halt in full collections).
     */
    @Nested
    class KeysRememberedWhileWriting {

        private static final List<String> FOUR = List.of("a", "b", "c", "d");

        private final Scheduler writer = Schedulers.newSingle("test-log-writer");
        private final InMemoryLogStore store = new InMemoryLogStore();

        @AfterEach
        void stop() {
            writer.dispose();
        }

        @Test
        void theWritesHoldingTheLastEntriesAreRememberedAndAnOlderOnesRetryAppendsAgain() {
            MessageLog messages = new MessageLog(store, new CountingIds(), epochOne(), writer, 10);
            List<AppendedBatch> written = new ArrayList<>();
            for (int batch = 1; batch <= 4; batch++) {
                written.add(messages.appendAll(FOUR, "batch-" + batch).block(TIMEOUT));
            }

            // the last 10 entries are 7..16: batch-2 (5..8) straddles their start and is remembered whole
            AppendedBatch retry = messages.appendAll(FOUR, "batch-2").block(TIMEOUT);
            assertThat(retry.replay()).isTrue();
            assertThat(retry.entries()).isEqualTo(written.get(1).entries());
            assertThatThrownBy(() -> messages.appendAll(List.of("a", "b", "c", "x"), "batch-3").block(TIMEOUT))
                    .as("other messages under a remembered key").isInstanceOf(IdempotencyConflictException.class);
            assertThat(store.lastSeq()).isEqualTo(16);

            AppendedBatch again = messages.appendAll(FOUR, "batch-1").block(TIMEOUT);
            assertThat(again.replay()).as("batch-1 (1..4) is older than the last 10 entries").isFalse();
            assertThat(again.first().seq()).isEqualTo(17);
        }

        @Test
        void entriesWrittenWithoutAKeyMoveTheWindowAsTheyDoForARestartedMaster() {
            MessageLog messages = new MessageLog(store, new CountingIds(), epochOne(), writer, 10);
            messages.appendAll(FOUR, "keyed").block(TIMEOUT);
            appendWithoutKeys(messages, 7);

            assertThat(messages.appendAll(FOUR, "keyed").block(TIMEOUT).replay())
                    .as("1..4 straddles the last 10 entries, 2..11").isTrue();

            appendWithoutKeys(messages, 4);
            AppendedBatch again = messages.appendAll(FOUR, "keyed").block(TIMEOUT);
            assertThat(again.replay()).as("the last 10 entries, 6..15, are all without a key").isFalse();
            assertThat(again.first().seq()).isEqualTo(16);
        }

        private void appendWithoutKeys(MessageLog messages, int count) {
            for (int i = 0; i < count; i++) {
                messages.append("plain", null).block(TIMEOUT);
            }
        }

        @Test
        void theKeysOfEntriesAdoptedInRecoveryAreRememberedUpToTheLastOne() {
            MessageLog messages = new MessageLog(store, new CountingIds(), epochOne(), writer, 10);
            List<Entry> adopted = List.of(new Entry(1, 1, "a"), new Entry(2, 2, "b"), new Entry(3, 3, "c"));

            messages.appendRecovered(new KeyedEntries(adopted, Map.of(1L, "single", 2L, "pair", 3L, "pair")))
                    .block(TIMEOUT);

            assertThat(messages.append("a", "single").block(TIMEOUT).replay()).isTrue();
            AppendedBatch pair = messages.appendAll(List.of("b", "c"), "pair").block(TIMEOUT);
            assertThat(pair.replay()).as("the adopted log's last write").isTrue();
            assertThat(pair.entries()).isEqualTo(adopted.subList(1, 3));
            assertThat(store.lastSeq()).isEqualTo(3);
        }

        @Test
        void aWriteWhoseFirstEntriesTheLogKeptAndWhoseRestRecoveryFetchedIsRememberedWhole() {
            store.appendRecords(List.of(record(1, "batch"), record(2, "batch"))).join();
            MessageLog messages = new MessageLog(store, new CountingIds(), epochOne(), writer, 10);

            messages.appendRecovered(new KeyedEntries(List.of(new Entry(3, 3, "m3")), Map.of(3L, "batch")))
                    .block(TIMEOUT);

            AppendedBatch retry = messages.appendAll(List.of("m1", "m2", "m3"), "batch").block(TIMEOUT);
            assertThat(retry.replay()).isTrue();
            assertThat(retry.entries()).extracting(Entry::seq).containsExactly(1L, 2L, 3L);
            assertThat(store.lastSeq()).isEqualTo(3);
        }

        @Test
        void aRestartedMasterRemembersTheSameWritesTheRunningOneDid() {
            MessageLog running = new MessageLog(store, new CountingIds(), epochOne(), writer, 10);
            for (int batch = 1; batch <= 4; batch++) {
                running.appendAll(FOUR, "batch-" + batch).block(TIMEOUT);
            }

            MessageLog restarted = new MessageLog(store, idsPast(100), epochOne(), writer, 10);

            assertThat(restarted.appendAll(FOUR, "batch-2").block(TIMEOUT).replay()).isTrue();
            assertThat(restarted.appendAll(FOUR, "batch-1").block(TIMEOUT).replay()).isFalse();
        }
    }

    /**
     * A retry that reaches the master's writer in the same group as the request it repeats (the same
     * {@code Idempotency-Key}; a client that timed out while the writer was in a slow fsync) gets that
     * request's entries only once they are written, and fails with them: the seqs of a failed store
     * write go to the next group's messages, so an earlier answer would confirm another message.
     */
    @Nested
    class ARetryInTheSameGroup {


        /** A plain thread, as the master's writer is: the test holds it busy (BlockHound forbids that on Reactor's). */
        private final Scheduler writer = Schedulers.fromExecutorService(
                Executors.newSingleThreadExecutor(task -> new Thread(task, "test-log-writer")));
        private final RefusingStore store = new RefusingStore();
        private final MessageLog messages = new MessageLog(store, new CountingIds(), epochOne(), writer, 100);

        @AfterEach
        void stop() {
            writer.dispose();
        }

        @Test
        void aRetryInTheGroupOfAFailedWriteFailsWithIt() throws Exception {
            store.refuseNext.set(1);
            List<CompletableFuture<Appended>> sameGroup = inOneGroup("K");

            assertThat(sameGroup).allSatisfy(answer -> assertThat(answer).failsWithin(TIMEOUT)
                    .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(AppendFailedException.class));
            Appended next = messages.append("another message", null).block(TIMEOUT);
            assertThat(next.entry().seq()).as("the failed write's seq goes to the next message").isEqualTo(1);
            assertThat(store.read(1, 10)).extracting(Entry::message).containsExactly("another message");
        }

        @Test
        void aRetryInTheGroupOfAWriteThatSucceedsGetsItsEntryAsAReplay() throws Exception {
            List<CompletableFuture<Appended>> sameGroup = inOneGroup("K");

            Appended first = sameGroup.get(0).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Appended retry = sameGroup.get(1).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(first.replay()).isFalse();
            assertThat(retry.replay()).isTrue();
            assertThat(retry.entry()).isEqualTo(first.entry());
            assertThat(store.read(1, 10)).extracting(Entry::message).containsExactly("message");
            assertThat(store.appends).as("one store write for the group").hasValue(1);
        }

        /** A request and its retry under {@code key}, queued while the writer is busy, so one turn takes both. */
        private List<CompletableFuture<Appended>> inOneGroup(String key) throws InterruptedException {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Boolean> held = new CompletableFuture<>();
            writer.schedule(() -> {
                busy.countDown();
                try {
                    held.complete(release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                } catch (InterruptedException | RuntimeException | Error e) {
                    held.completeExceptionally(e);
                }
            });
            assertThat(busy.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Appended>> answers = List.of(messages.append("message", key).toFuture(),
                    messages.append("message", key).toFuture());
            release.countDown();
            assertThat(held).as("the writer was held until both were queued").succeedsWithin(TIMEOUT).isEqualTo(true);
            return answers;
        }


        /** The in-memory store, refusing the next {@code refuseNext} appends as a full disk does. */
        private static final class RefusingStore extends ForwardingLogStore {
            final AtomicInteger refuseNext = new AtomicInteger();
            final AtomicInteger appends = new AtomicInteger();

            RefusingStore() {
                super(new InMemoryLogStore());
            }

            @Override
            public CompletableFuture<Long> appendRecords(List<LogRecord> records) {
                if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new AppendFailedException("no room", new IOException("No space left on device"));
                }
                appends.incrementAndGet();
                return delegate.appendRecords(records);
            }
        }
    }

    /**
     * A recovering master that drops the entries of its log another master's log does not hold:
     * they leave the store, the entries kept in memory for the replicators and the remembered
     * idempotency keys (a retry of one is a new write), while the keys of the entries kept still answer.
     */
    @Nested
    class ATruncation {


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
    }

    private static IdSource idsPast(long id) {
        CountingIds ids = new CountingIds();
        ids.advancePast(id);
        return ids;
    }
}
