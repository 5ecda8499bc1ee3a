package dev.replog.common.log;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.replog.common.protocol.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class FileLogStoreTest {

    private static final long SMALL_SEGMENTS = 4096;

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ round trips

    @Test
    void entriesRoundTripAcrossSegmentRollsAndAReopen() throws Exception {
        List<Entry> all = new ArrayList<>();
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS)) {
            for (int batch = 0; batch < 60; batch++) {
                List<Entry> entries = entries(all.size() + 1, 1 + batch % 7);
                assertThat(store.append(entries).get(10, SECONDS)).isGreaterThanOrEqualTo(all.size() + entries.size());
                all.addAll(entries);
            }
            assertThat(segmentFiles()).hasSizeGreaterThan(3);
            assertLogIs(store, all);
        }
        assertThat(segmentFiles()).first().extracting(p -> p.getFileName().toString()).isEqualTo("00000000000000000001.log");
        try (FileLogStore reopened = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS)) {
            assertThat(reopened.lastSeq()).isEqualTo(all.size());
            assertThat(reopened.durableSeq()).isEqualTo(all.size());
            assertLogIs(reopened, all);
            List<Entry> more = entries(all.size() + 1, 3);
            reopened.append(more).get(10, SECONDS);
            all.addAll(more);
            assertLogIs(reopened, all);
        }
    }

    @Test
    void segmentFilesAreNamedByTheirFirstSeqAndEachStartsWithIt() throws Exception {
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.NONE, SMALL_SEGMENTS)) {
            for (int i = 0; i < 40; i++) {
                store.append(entries(store.lastSeq() + 1, 5)).join();
            }
        }
        for (Path file : segmentFiles()) {
            long base = Long.parseLong(file.getFileName().toString().substring(0, 20));
            ByteBuffer head = ByteBuffer.allocate(16);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.read(head, 0);
            }
            assertThat(head.getLong(8)).as("first seq in %s", file).isEqualTo(base);
            assertThat(Files.size(file)).isLessThanOrEqualTo(SMALL_SEGMENTS);
        }
    }

    @Test
    void aBatchLargerThanASegmentGetsASegmentOfItsOwn() throws Exception {
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.NONE, 512)) {
            store.append(List.of(new Entry(1, 1, "small"))).join();
            String big = "B".repeat(2000);
            store.append(List.of(new Entry(2, 2, big), new Entry(3, 3, big))).join();
            store.append(List.of(new Entry(4, 4, "after"))).join();
            assertThat(segmentFiles()).extracting(p -> p.getFileName().toString())
                    .containsExactly("00000000000000000001.log", "00000000000000000002.log", "00000000000000000004.log");
            assertThat(store.read(1, 10)).extracting(Entry::message).containsExactly("small", big, big, "after");
        }
    }

    @Test
    void readsClampLikeTheInMemoryStore() {
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.NONE, SMALL_SEGMENTS)) {
            assertThat(store.read(1, 10)).isEmpty();
            assertThat(store.get(1)).isEmpty();
            assertThat(store.idAt(0)).isZero();
            List<Entry> all = entries(1, 120);
            store.append(all).join();
            assertThat(store.read(-5, 3)).containsExactlyElementsOf(all.subList(0, 3));
            assertThat(store.read(118, 10)).containsExactlyElementsOf(all.subList(117, 120));
            assertThat(store.read(121, 10)).isEmpty();
            assertThat(store.read(5, 0)).isEmpty();
            assertThat(store.read(1, Integer.MAX_VALUE)).containsExactlyElementsOf(all);
            assertThat(store.get(0)).isEmpty();
            assertThat(store.get(121)).isEmpty();
            assertThat(store.get(77)).contains(all.get(76));
            assertThat(store.idAt(77)).isEqualTo(all.get(76).id());
            assertThatThrownBy(() -> store.idAt(121)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.read(1, -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aReadEndsBeforeTheRecordThatWouldPassItsByteBudgetAndHoldsAtLeastOne() {
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.NONE, SMALL_SEGMENTS)) {
            List<Entry> all = new ArrayList<>();
            for (int seq = 1; seq <= 30; seq++) {
                all.add(new Entry(seq, seq, "x".repeat(1000)));
            }
            store.append(all).join();

            assertThat(store.read(1, 30, 10)).as("the first record, however large").containsExactly(all.get(0));
            assertThat(store.read(2, 30, 2_500)).containsExactlyElementsOf(all.subList(1, 3));
            assertThat(store.read(3, 30, 4_500)).as("across segments of 4 KiB").containsExactlyElementsOf(all.subList(2, 6));
            assertThat(store.read(3, 2, 4_500)).as("the limit still counts").containsExactlyElementsOf(all.subList(2, 4));
            assertThat(store.readRecords(29, 30, 1 << 20)).extracting(LogRecord::seq).containsExactly(29L, 30L);
        }
    }

    @Test
    void recordsKeepTheirEpochAndIdempotencyKeyAcrossAReopen() throws Exception {
        List<LogRecord> records = List.of(new LogRecord(1, 10, 3, "key-1", "a"), new LogRecord(2, 12, 3, "", ""),
                new LogRecord(3, 20, 4, "ключ-🔑", "ünïcödé ✓ 𝄞"));
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.ALWAYS, SMALL_SEGMENTS)) {
            store.appendRecords(records).get(10, SECONDS);
            assertThat(store.readRecords(1, 10)).containsExactlyElementsOf(records);
        }
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.ALWAYS, SMALL_SEGMENTS)) {
            assertThat(store.readRecords(1, 10)).containsExactlyElementsOf(records);
            assertThat(store.read(3, 1)).containsExactly(new Entry(3, 20, "ünïcödé ✓ 𝄞"));
        }
    }

    @Test
    void anAppendThatDoesNotContinueTheLogOrCannotBeStoredChangesNothing() {
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS)) {
            store.append(List.of(new Entry(1, 1, "a"))).join();
            assertThatThrownBy(() -> store.append(List.of(new Entry(3, 3, "c"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected seq 2");
            assertThatThrownBy(() -> store.append(List.of(new Entry(2, 2, "b"), new Entry(4, 4, "d"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected seq 3");
            assertThatThrownBy(() -> store.append(List.of(new Entry(2, 2, "bad \uD800 surrogate"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired UTF-16 surrogate");
            assertThat(store.lastSeq()).isEqualTo(1);
            assertThat(store.read(1, 10)).containsExactly(new Entry(1, 1, "a"));
            assertThat(store.append(List.of()).join()).isEqualTo(1);
            store.append(List.of(new Entry(2, 2, "b"))).join();
            assertThat(store.read(1, 10)).extracting(Entry::message).containsExactly("a", "b");
        }
    }

    // ------------------------------------------------------------------ durability modes

    @ParameterizedTest
    @EnumSource(FsyncMode.class)
    void everyModeCompletesItsFuturesAndAdvancesDurableSeq(FsyncMode mode) throws Exception {
        try (FileLogStore store = FileLogStore.open(dir, mode, 1024 * 1024)) {
            long fsyncsBefore = store.fsyncCount();
            List<CompletableFuture<Long>> acks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                acks.add(store.append(entries(store.lastSeq() + 1, 2)));
            }
            for (int i = 0; i < acks.size(); i++) {
                assertThat(acks.get(i).get(10, SECONDS)).isGreaterThanOrEqualTo(2L * (i + 1));
            }
            assertThat(store.durableSeq()).isEqualTo(40).isEqualTo(store.lastSeq());
            long fsyncs = store.fsyncCount() - fsyncsBefore;
            switch (mode) {
                case ALWAYS -> assertThat(fsyncs).isEqualTo(20);
                case NONE -> assertThat(fsyncs).isZero();
                case GROUP -> assertThat(fsyncs).isBetween(1L, 20L);
            }
            if (mode != FsyncMode.GROUP) {
                assertThat(acks).allSatisfy(f -> assertThat(f).isDone());
            }
        }
    }

    @Test
    void oneGroupFsyncCoversEveryAppendMadeWhileThePreviousOneRan() throws Exception {
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.GROUP, FileLogStore.DEFAULT_SEGMENT_BYTES)) {
            CountDownLatch release = new CountDownLatch(1);
            long fsyncsBefore = store.fsyncCount();
            // an append made while no fsync runs leads one itself: its call returns after the fsync
            CompletableFuture<CompletableFuture<Long>> firstCall =
                    leaderHeldInFsync(store, entries(1, 1), release).call(); // now "inside" the fsync of seq 1
            List<CompletableFuture<Long>> rest = new ArrayList<>();
            for (long seq = 2; seq <= 500; seq++) {
                rest.add(store.append(entries(seq, 1))); // an fsync runs: these only queue
            }
            // nothing is acknowledged before an fsync covers it
            assertThat(firstCall).isNotDone();
            assertThat(rest).noneMatch(CompletableFuture::isDone);
            assertThat(store.durableSeq()).isZero();
            assertThat(store.lastSeq()).isEqualTo(500);
            assertThat(store.read(1, 1000)).hasSize(500); // readable before durable, like the master shows them

            release.countDown();
            assertThat(firstCall.get(10, SECONDS).get(10, SECONDS)).isEqualTo(1);
            CompletableFuture.allOf(rest.toArray(new CompletableFuture<?>[0])).get(10, SECONDS);
            assertThat(rest).allSatisfy(f -> assertThat(f.join()).isEqualTo(500));
            assertThat(store.durableSeq()).isEqualTo(500);
            long fsyncs = store.fsyncCount() - fsyncsBefore;
            assertThat(fsyncs).as("fsyncs for 500 appends").isEqualTo(2).isLessThan(500);
            // the leader went on to cover the queued appends; with no fsync running, an append
            // leads its own and is durable when the call returns: no hand-off to another thread
            assertThat(store.append(entries(501, 1))).isCompletedWithValue(501L);
        }
    }

    @Test
    void callbacksOnTheLeadingThreadMayReadAppendTruncateAndClose() throws Exception {
        FileLogStore store = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS);
        CountDownLatch chainBuilt = new CountDownLatch(1);
        Thread leader = leaderHeldInFsync(store, entries(1, 1), chainBuilt).thread();
        // queued behind the leader's fsync, so its callbacks run on the leader, in the style of
        // Mono.fromFuture(...).flatMap(...): each ack triggers the next append
        CompletableFuture<Long> chain = store.append(entries(2, 1))
                .thenCompose(d -> {
                    assertThat(Thread.currentThread()).isSameAs(leader);
                    assertThat(store.read(1, 10)).hasSize(2);
                    return store.append(entries(3, 1));
                })
                .thenCompose(d -> {
                    store.truncateAfter(2);
                    return store.append(entries(3, 2));
                });
        chainBuilt.countDown();
        assertThat(chain.get(10, SECONDS)).isEqualTo(4);
        leader.join(10_000);
        assertThat(leader.isAlive()).isFalse();

        CountDownLatch closeQueued = new CountDownLatch(1);
        Thread lastLeader = leaderHeldInFsync(store, entries(5, 1), closeQueued).thread();
        CompletableFuture<Void> closedInCallback = store.append(entries(6, 1)).thenRun(store::close);
        closeQueued.countDown();
        closedInCallback.get(10, SECONDS);
        lastLeader.join(10_000);
        assertThatThrownBy(() -> store.append(entries(7, 1))).isInstanceOf(IllegalStateException.class);
        try (FileLogStore reopened = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS)) {
            assertLogIs(reopened, entries(1, 6));
        }
    }

    @Test
    void closeFsyncsAndCompletesPendingAppendsThenRefusesWork() throws Exception {
        FileLogStore store = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS);
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            acks.add(store.append(entries(store.lastSeq() + 1, 1)));
        }
        store.close();
        assertThat(acks).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(store.durableSeq()).isEqualTo(200);
        store.close(); // idempotent
        assertThatThrownBy(() -> store.append(entries(201, 1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.truncateAfter(3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.read(1, 1)).isInstanceOf(IllegalStateException.class);
        try (FileLogStore reopened = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS)) {
            assertThat(reopened.lastSeq()).isEqualTo(200);
        }
    }

    @Test
    void aSecondStoreCannotOpenTheSameDirectory() {
        try (FileLogStore store = FileLogStore.open(dir)) {
            assertThatThrownBy(() -> FileLogStore.open(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already in use");
            assertThat(store.lastSeq()).isZero();
        }
        try (FileLogStore again = FileLogStore.open(dir)) {
            assertThat(again.lastSeq()).isZero();
        }
    }

    // ------------------------------------------------------------------ truncation

    @ParameterizedTest
    @EnumSource(FsyncMode.class)
    void truncateAfterAcrossSegmentBoundariesThenAppendContinues(FsyncMode mode) throws Exception {
        List<Entry> all = entries(1, 300);
        try (FileLogStore store = FileLogStore.open(dir, mode, SMALL_SEGMENTS)) {
            for (int i = 0; i < all.size(); i += 10) {
                store.append(all.subList(i, i + 10));
            }
            int segmentsBefore = segmentFiles().size();
            assertThat(segmentsBefore).isGreaterThan(4);
            long keep = 37;
            store.truncateAfter(keep);
            assertThat(store.lastSeq()).isEqualTo(keep);
            assertThat(store.durableSeq()).isEqualTo(keep);
            assertThat(segmentFiles()).hasSizeLessThan(segmentsBefore);
            assertLogIs(store, all.subList(0, (int) keep));
            assertThat(store.get(keep + 1)).isEmpty();

            List<Entry> rewritten = new ArrayList<>(all.subList(0, (int) keep));
            for (long seq = keep + 1; seq <= keep + 80; seq++) {
                Entry e = new Entry(seq, seq * 100, "rewritten-" + seq);
                rewritten.add(e);
                store.append(List.of(e)).get(10, SECONDS);
            }
            assertLogIs(store, rewritten);
            store.truncateAfter(1000); // past the end: nothing happens
            assertLogIs(store, rewritten);
        }
        try (FileLogStore reopened = FileLogStore.open(dir, mode, SMALL_SEGMENTS)) {
            assertThat(reopened.read(1, 1000)).extracting(Entry::message)
                    .containsExactlyElementsOf(reopenExpectation(all, 37, 80));
        }
    }

    @Test
    void truncateAtASegmentBoundaryAndToEmpty() throws Exception {
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.NONE, SMALL_SEGMENTS)) {
            for (int i = 0; i < 30; i++) {
                store.append(entries(store.lastSeq() + 1, 5)).join();
            }
            List<Path> files = segmentFiles();
            long secondBase = Long.parseLong(files.get(1).getFileName().toString().substring(0, 20));
            store.truncateAfter(secondBase - 1); // exactly the end of the first segment
            assertThat(segmentFiles()).containsExactly(files.get(0));
            assertThat(store.lastSeq()).isEqualTo(secondBase - 1);
            store.append(entries(secondBase, 3)).join();
            assertThat(store.read(secondBase, 10)).containsExactlyElementsOf(entries(secondBase, 3));

            store.truncateAfter(0);
            assertThat(store.lastSeq()).isZero();
            assertThat(store.read(1, 10)).isEmpty();
            assertThat(segmentFiles()).hasSize(1);
            assertThat(Files.size(segmentFiles().get(0))).isZero();
            store.append(entries(1, 2)).join();
        }
        try (FileLogStore reopened = FileLogStore.open(dir, FsyncMode.NONE, SMALL_SEGMENTS)) {
            assertLogIs(reopened, entries(1, 2));
        }
    }

    @Test
    void truncationFailsTheAcksOfDroppedEntriesAndCompletesTheKeptOnes() throws Exception {
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS)) {
            store.append(entries(1, 10)).get(10, SECONDS);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<CompletableFuture<Long>> elevenCall =
                    leaderHeldInFsync(store, entries(11, 1), release).call(); // leads the fsync of seq 11
            List<CompletableFuture<Long>> later = new ArrayList<>();
            for (long seq = 12; seq <= 20; seq++) {
                later.add(store.append(entries(seq, 1)));
            }
            Thread truncator = new Thread(() -> store.truncateAfter(15));
            truncator.start();
            while (truncator.isAlive() && !store.flushLock.hasQueuedThread(truncator)) {
                Thread.onSpinWait(); // the truncation waits for the fsync in progress
            }
            release.countDown();
            truncator.join(10_000);
            assertThat(truncator.isAlive()).isFalse();

            assertThat(elevenCall.get(10, SECONDS).get(10, SECONDS)).isEqualTo(11);
            for (int i = 0; i < later.size(); i++) {
                long seq = 12 + i;
                if (seq <= 15) {
                    assertThat(later.get(i).get(10, SECONDS)).isEqualTo(15);
                } else {
                    assertThat(later.get(i)).isCompletedExceptionally();
                }
            }
            assertThat(store.lastSeq()).isEqualTo(15);
            assertThat(store.durableSeq()).isEqualTo(15);
            assertThat(store.append(entries(16, 1)).get(10, SECONDS)).isEqualTo(16);
        }
    }

    // ------------------------------------------------------------------ recovery

    @Test
    void aTornTailIsCutAtTheLastGoodRecord() throws Exception {
        List<Entry> all = entries(1, 50);
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.ALWAYS, SMALL_SEGMENTS)) {
            store.append(all).join();
        }
        Path last = lastSegment();
        long size = Files.size(last);
        // half a record: the last record loses its final 3 bytes
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3);
        }
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.ALWAYS, SMALL_SEGMENTS)) {
            assertLogIs(store, all.subList(0, 49));
            store.append(entries(50, 1)).join();
        }
        // junk after the last record (a write that got its length but not its bytes, zeros from a
        // file extended but never written)
        Files.write(last, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, StandardOpenOption.APPEND);
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.ALWAYS, SMALL_SEGMENTS)) {
            assertLogIs(store, all);
        }
        assertThat(Files.size(last)).isEqualTo(size);
    }

    @Test
    void theActiveSegmentIsFilledWithZerosAheadWhichACrashLeavesAndACleanCloseCuts() throws Exception {
        List<Entry> all = entries(1, 50);
        Path killed = dir.resolveSibling(dir.getFileName() + "-killed");
        long recordBytes;
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.GROUP)) {
            store.append(all).get(10, TimeUnit.SECONDS);
            recordBytes = store.activeSegmentBytes();
            assertThat(Files.size(lastSegment())).as("records, then zeros")
                    .isEqualTo(recordBytes + FileLogStore.ZERO_FILL_BYTES);
            // the files as a kill -9 leaves them
            Files.createDirectories(killed);
            Files.copy(lastSegment(), killed.resolve(lastSegment().getFileName()));
        }
        assertThat(Files.size(lastSegment())).as("a clean close cuts the zeros").isEqualTo(recordBytes);

        try (FileLogStore store = FileLogStore.open(killed, FsyncMode.GROUP)) {
            assertLogIs(store, all);
            store.append(entries(51, 1)).get(10, TimeUnit.SECONDS);
        }
        try (FileLogStore store = FileLogStore.open(killed, FsyncMode.GROUP)) {
            assertLogIs(store, entries(1, 51));
        }
    }

    @Test
    void damageInsideASealedSegmentStopsTheStoreNamingFileAndOffset() throws Exception {
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.NONE, SMALL_SEGMENTS)) {
            for (int i = 0; i < 30; i++) {
                store.append(entries(store.lastSeq() + 1, 5)).join();
            }
        }
        Path sealed = segmentFiles().get(1);
        long offset = Files.size(sealed) / 2;
        flipByte(sealed, offset);
        assertThatThrownBy(() -> FileLogStore.open(dir, FsyncMode.NONE, SMALL_SEGMENTS))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(sealed);
                    assertThat(e.offset()).isBetween(0L, offset);
                    assertThat(e.getMessage()).contains(sealed.toString()).contains("offset " + e.offset())
                            .contains("sealed segment");
                });
        flipByte(sealed, offset); // repaired: opens again, and the failed open left the directory unlocked
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.NONE, SMALL_SEGMENTS)) {
            assertThat(store.lastSeq()).isEqualTo(150);
        }
    }

    @Test
    void aMissingSegmentOrALogNotStartingAtOneIsCorruption() throws Exception {
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.NONE, SMALL_SEGMENTS)) {
            for (int i = 0; i < 30; i++) {
                store.append(entries(store.lastSeq() + 1, 5)).join();
            }
        }
        List<Path> files = segmentFiles();
        Files.delete(files.get(1));
        assertThatThrownBy(() -> FileLogStore.open(dir, FsyncMode.NONE, SMALL_SEGMENTS))
                .isInstanceOf(CorruptLogException.class).hasMessageContaining("missing");
        Files.delete(files.get(0));
        assertThatThrownBy(() -> FileLogStore.open(dir, FsyncMode.NONE, SMALL_SEGMENTS))
                .isInstanceOf(CorruptLogException.class).hasMessageContaining("must start at seq 1");
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void concurrentReadersNeverSeeAPartialOrMixedEntry() throws Exception {
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS)) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            AtomicLong entriesRead = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                boolean ranges = r != 0;
                Thread reader = new Thread(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    try {
                        while (!done.get()) {
                            long last = store.lastSeq();
                            if (last == 0) {
                                Thread.onSpinWait();
                                continue;
                            }
                            long from = random.nextLong(1, last + 1);
                            if (ranges) {
                                List<Entry> got = store.read(from, random.nextInt(1, 60));
                                int generation = 0;
                                for (int i = 0; i < got.size(); i++) {
                                    assertThat(got.get(i).seq()).isEqualTo(from + i);
                                    // one read is one state of the log: later seqs never from an older generation
                                    int g = assertWellFormed(got.get(i));
                                    assertThat(g).isGreaterThanOrEqualTo(generation);
                                    generation = g;
                                }
                                entriesRead.addAndGet(got.size());
                            } else {
                                store.get(from).ifPresent(e -> {
                                    assertThat(e.seq()).isEqualTo(from);
                                    assertWellFormed(e);
                                    entriesRead.incrementAndGet();
                                });
                            }
                        }
                    } catch (Throwable t) {
                        readerFailure.compareAndSet(null, t);
                    }
                }, "reader-" + r);
                reader.start();
                readers.add(reader);
            }

            List<Entry> expected = new ArrayList<>();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int generation = 0;
            for (int round = 0; round < 1500 && readerFailure.get() == null; round++) {
                if (round % 150 == 149) {
                    int keep = random.nextInt(Math.max(1, expected.size() - 200), expected.size() + 1);
                    store.truncateAfter(keep);
                    expected.subList(keep, expected.size()).clear();
                    generation++;
                }
                List<Entry> batch = new ArrayList<>();
                int n = random.nextInt(1, 6);
                for (int i = 0; i < n; i++) {
                    batch.add(wellFormed(expected.size() + batch.size() + 1L, generation));
                }
                store.append(batch);
                expected.addAll(batch);
            }
            done.set(true);
            for (Thread reader : readers) {
                reader.join(10_000);
            }
            if (readerFailure.get() != null) {
                throw new AssertionError("a reader saw a bad entry", readerFailure.get());
            }
            assertThat(entriesRead.get()).isPositive();
            assertLogIs(store, expected);
        }
    }

    @Test
    void anInterruptedReaderFailsAloneAndTheStoreKeepsServing() {
        try (FileLogStore store = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS)) {
            store.append(entries(1, 10)).join();
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> store.read(1, 10)).isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining("interrupted");
            } finally {
                assertThat(Thread.interrupted()).isTrue();
            }
            assertThat(store.read(1, 10)).containsExactlyElementsOf(entries(1, 10));
            assertThat(store.append(entries(11, 1)).join()).isEqualTo(11);
        }
    }

    @ParameterizedTest
    @EnumSource(FsyncMode.class)
    void anInterruptedAppendFailsCleanlyAndTheNextOneSucceeds(FsyncMode mode) throws Exception {
        try (FileLogStore store = FileLogStore.open(dir, mode, SMALL_SEGMENTS)) {
            store.append(entries(1, 10)).get(10, SECONDS);
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> store.append(entries(11, 2))).isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining("nothing was appended");
            } finally {
                assertThat(Thread.interrupted()).isTrue();
            }
            assertThat(store.lastSeq()).isEqualTo(10);
            assertThat(store.append(entries(11, 2)).get(10, SECONDS)).isEqualTo(12);
            assertLogIs(store, entries(1, 12));
        }
        try (FileLogStore reopened = FileLogStore.open(dir, mode, SMALL_SEGMENTS)) {
            assertLogIs(reopened, entries(1, 12));
        }
    }

    @Test
    void aFailedFsyncFailsTheStoreWhichReportsDownAndRecoversAtTheNextOpen() throws Exception {
        FileLogStore store = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS);
        LogStoreHealthIndicator health = new LogStoreHealthIndicator(store);
        try {
            store.append(entries(1, 5)).get(10, SECONDS);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails()).containsEntry("durableSeq", 5L);

            store.beforeGroupFsync = () -> {
                throw new UncheckedIOException(new IOException("Input/output error"));
            };
            CompletableFuture<Long> caught = store.append(entries(6, 2));
            assertThatThrownBy(() -> caught.get(10, SECONDS)).as("the append the failed fsync was for")
                    .hasCauseInstanceOf(LogStoreFailedException.class);
            assertThat(store.failure()).hasValueSatisfying(failed -> assertThat(failed.reason())
                    .contains("Input/output error"));
            assertThatThrownBy(() -> store.append(entries(8, 1))).isInstanceOf(LogStoreFailedException.class)
                    .hasMessageContaining("restart the node");
            assertThat(store.durableSeq()).isEqualTo(5);
            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(String.valueOf(down.getDetails().get("reason"))).contains("Input/output error");
        } finally {
            store.close();
        }
        try (FileLogStore reopened = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS)) {
            assertThat(reopened.failure()).isEmpty();
            // 6 and 7 were written but never durable nor acknowledged: they may or may not be back
            assertThat(reopened.lastSeq()).isIn(5L, 7L);
            assertThat(reopened.read(1, 5)).isEqualTo(entries(1, 5));
            long next = reopened.lastSeq() + 1;
            assertThat(reopened.append(entries(next, 1)).get(10, SECONDS)).isEqualTo(next);
        }
    }

    @Test
    void fsyncModeParsesTheConfiguredValues() {
        assertThat(FsyncMode.parse("group")).isEqualTo(FsyncMode.GROUP);
        assertThat(FsyncMode.parse(" ALWAYS ")).isEqualTo(FsyncMode.ALWAYS);
        assertThat(FsyncMode.parse("None")).isEqualTo(FsyncMode.NONE);
        assertThatThrownBy(() -> FsyncMode.parse("sometimes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group, always, none");
        assertThatThrownBy(() -> FsyncMode.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ helpers

    /** Entries whose content follows from the seq, some with unicode and some empty. */
    static List<Entry> entries(long fromSeq, int count) {
        List<Entry> out = new ArrayList<>(count);
        for (long seq = fromSeq; seq < fromSeq + count; seq++) {
            String message = seq % 11 == 0 ? "" : "message " + seq + (seq % 3 == 0 ? " — ünïcödé 🚀" : "") + "x".repeat((int) (seq % 40));
            out.add(new Entry(seq, seq * 3 + 7, message));
        }
        return out;
    }

    private static Entry wellFormed(long seq, int generation) {
        return new Entry(seq, seq * 1000 + generation, "s" + seq + "g" + generation + ":" + "x".repeat((int) ((seq * 7 + generation * 13) % 300)));
    }

    /** Checks that the entry is one the writer wrote, whole; returns its generation. */
    private static int assertWellFormed(Entry e) {
        String prefix = "s" + e.seq() + "g";
        assertThat(e.message()).startsWith(prefix);
        int colon = e.message().indexOf(':');
        int generation = Integer.parseInt(e.message().substring(prefix.length(), colon));
        assertThat(e).isEqualTo(wellFormed(e.seq(), generation));
        return generation;
    }

    private static List<String> reopenExpectation(List<Entry> all, int keep, int rewritten) {
        List<String> out = new ArrayList<>();
        all.subList(0, keep).forEach(e -> out.add(e.message()));
        for (long seq = keep + 1; seq <= keep + rewritten; seq++) {
            out.add("rewritten-" + seq);
        }
        return out;
    }

    private static void assertLogIs(FileLogStore store, List<Entry> expected) {
        assertThat(store.lastSeq()).isEqualTo(expected.size());
        assertThat(store.read(1, Integer.MAX_VALUE)).containsExactlyElementsOf(expected);
        for (Entry e : expected) {
            if (e.seq() % 17 == 1) {
                assertThat(store.get(e.seq())).contains(e);
                assertThat(store.idAt(e.seq())).isEqualTo(e.id());
                assertThat(store.read(e.seq(), 25)).containsExactlyElementsOf(
                        expected.subList((int) e.seq() - 1, Math.min(expected.size(), (int) e.seq() + 24)));
            }
        }
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    private Path lastSegment() throws IOException {
        List<Path> files = segmentFiles();
        return files.get(files.size() - 1);
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, offset);
        }
    }

    @Test
    void anAppendQueuedBehindARunningFsyncWhenCloseStartsIsCompletedByClosesFsyncNotFailed() throws Exception {
        FileLogStore store = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS);
        CountDownLatch release = new CountDownLatch(1);
        Leader leader = leaderHeldInFsync(store, entries(1, 1), release);
        CompletableFuture<Long> queued = store.append(entries(2, 1)); // waits for the leader's next fsync
        // close's fsync starts only once the leader has gone: what the leader does on its way out comes first
        store.beforeGroupFsync = () -> joinQuietly(leader.thread());
        Thread closing = new Thread(store::close, "closing");
        closing.start();
        // close has marked the store closed and waits for the leader's fsync to end
        await().atMost(Duration.ofSeconds(10)).until(() -> closing.getState() == Thread.State.WAITING);

        release.countDown();
        closing.join(10_000);
        assertThat(leader.call().get(10, SECONDS)).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(1L);
        assertThat(queued).as("written before the close, made durable by its final fsync")
                .succeedsWithin(Duration.ofSeconds(10)).isEqualTo(2L);
        try (FileLogStore reopened = FileLogStore.open(dir, FsyncMode.GROUP, SMALL_SEGMENTS)) {
            assertLogIs(reopened, entries(1, 2));
        }
    }

    /** A thread leading a group fsync; {@code call} completes with its append's future when the append call returns. */
    private record Leader(Thread thread, CompletableFuture<CompletableFuture<Long>> call) {
    }

    /**
     * Starts a thread whose append of {@code entries} leads a group fsync and holds it until
     * {@code release}; returns once that thread is inside the fsync.
     */
    private static Leader leaderHeldInFsync(FileLogStore store, List<Entry> entries, CountDownLatch release)
            throws InterruptedException {
        CountDownLatch inFsync = new CountDownLatch(1);
        store.beforeGroupFsync = () -> {
            inFsync.countDown();
            awaitQuietly(release);
        };
        CompletableFuture<CompletableFuture<Long>> call = new CompletableFuture<>();
        Thread leader = new Thread(() -> {
            try {
                call.complete(store.append(entries));
            } catch (RuntimeException | Error e) {
                call.completeExceptionally(e);
            }
        }, "leader");
        leader.start();
        assertThat(inFsync.await(10, SECONDS)).isTrue();
        store.beforeGroupFsync = null;
        return new Leader(leader, call);
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
