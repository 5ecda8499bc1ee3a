package dev.replog.common.log;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Crash recovery of {@link FileLogStore} as properties: random appends, then a crash simulated by
 * damaging the files at random byte offsets, then a restart.
 *
 * <p>What a crash can do to the log is bounded by what was fsynced: bytes that were durable before
 * the crash are intact, anything after may be missing, torn or garbage. So the damage is confined
 * to bytes after the last fsync that completed an append's future (the length of the last segment
 * at that moment, or all of a segment created after it), and the property states exactly what must
 * come back: every record that lies wholly before the first damaged byte (which includes every
 * acknowledged record), and nothing after it. The crash is a clean close, or a kill: a copy of the
 * files taken while the store is open, with the zeros the writer keeps ahead of its records.
 */
class FileLogStoreCrashPropertiesTest {

    enum Damage {
        /** a clean restart */
        NONE,
        /** the file ends early (lost or torn write) */
        TRUNCATE,
        /** a byte changed (torn or misdirected write) */
        FLIP,
        /** random junk after the last record */
        GARBAGE,
        /** zeros after the last record (file extended, data never written) */
        ZEROS
    }

    record Payload(String message, String key, long epoch, int idGap) {
    }

    @Property(tries = 100)
    void theRecoveredLogIsExactlyThePrefixBeforeTheDamageAndHoldsEveryAcknowledgedRecord(
            @ForAll("batches") List<List<Payload>> acknowledged,
            @ForAll("batches") List<List<Payload>> inFlight,
            @ForAll FsyncMode mode,
            @ForAll @IntRange(min = 200, max = 4096) int segmentBytes,
            @ForAll Damage damage,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int where,
            @ForAll @IntRange(min = 1, max = 255) int flipMask,
            @ForAll @IntRange(min = 1, max = 300) int junkBytes,
            @ForAll boolean killed) throws Exception {
        Path dir = Files.createTempDirectory("replog-crash-");
        Path killedCopy = Files.createTempDirectory("replog-killed-");
        try {
            List<LogRecord> appended = new ArrayList<>();
            int ackedCount;
            Path fileAtAck;
            long bytesAtAck;
            try (FileLogStore store = FileLogStore.open(dir, mode, segmentBytes)) {
                List<CompletableFuture<Long>> acks = new ArrayList<>();
                for (List<Payload> batch : acknowledged) {
                    acks.add(store.appendRecords(records(batch, appended)));
                }
                for (CompletableFuture<Long> ack : acks) {
                    ack.get(10, SECONDS);
                }
                ackedCount = appended.size();
                assertThat(store.durableSeq()).isEqualTo(ackedCount);
                fileAtAck = lastSegment(dir);
                bytesAtAck = store.activeSegmentBytes(); // fsynced: a crash cannot touch these bytes
                for (List<Payload> batch : inFlight) {
                    store.appendRecords(records(batch, appended)); // not awaited: the crash may take them
                }
                if (killed) {
                    // the files as a kill -9 leaves them: no close, the zeros written ahead still there
                    copyFiles(dir, killedCopy);
                }
            }
            if (killed) {
                deleteRecursively(dir);
                dir = killedCopy;
            }

            Path last = lastSegment(dir);
            long fileBytes = Files.size(last);
            long damageableFrom = last.getFileName().equals(fileAtAck.getFileName()) ? bytesAtAck : 0;
            long firstDamaged = damage(last, damage, damageableFrom, fileBytes, where, flipMask, junkBytes);
            List<LogRecord> expected = recordsBefore(appended, last, firstDamaged);
            assertThat(expected.size()).as("the damage spares acknowledged records").isGreaterThanOrEqualTo(ackedCount);

            LogRecord next;
            try (FileLogStore recovered = FileLogStore.open(dir, mode, segmentBytes)) {
                List<LogRecord> log = recovered.readRecords(1, Integer.MAX_VALUE);
                assertThat(log).as("a prefix of what was appended")
                        .containsExactlyElementsOf(appended.subList(0, Math.min(log.size(), appended.size())));
                assertThat(log.size()).as("every acknowledged record survives").isGreaterThanOrEqualTo(ackedCount);
                assertThat(log).as("exactly the records before the first damaged byte").containsExactlyElementsOf(expected);
                assertThat(recovered.lastSeq()).isEqualTo(expected.size());
                assertThat(recovered.durableSeq()).isEqualTo(expected.size());
                long lastId = expected.isEmpty() ? 0 : expected.get(expected.size() - 1).id();
                next = new LogRecord(expected.size() + 1L, lastId + 1, 99, "after-crash", "appended after recovery");
                recovered.appendRecords(List.of(next)).get(10, SECONDS);
            }
            try (FileLogStore reopened = FileLogStore.open(dir, mode, segmentBytes)) {
                List<LogRecord> withNext = new ArrayList<>(expected);
                withNext.add(next);
                assertThat(reopened.readRecords(1, Integer.MAX_VALUE)).containsExactlyElementsOf(withNext);
            }
        } finally {
            deleteRecursively(dir);
            if (Files.exists(killedCopy)) {
                deleteRecursively(killedCopy);
            }
        }
    }

    @Property(tries = 40)
    void damageInsideASealedSegmentStopsTheStore(
            @ForAll("batches") List<List<Payload>> batches,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int which,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int where,
            @ForAll @IntRange(min = 1, max = 255) int flipMask,
            @ForAll boolean truncate) throws Exception {
        Path dir = Files.createTempDirectory("replog-sealed-");
        try {
            try (FileLogStore store = FileLogStore.open(dir, FsyncMode.NONE, 300)) {
                List<LogRecord> appended = new ArrayList<>();
                for (List<Payload> batch : batches) {
                    store.appendRecords(records(batch, appended));
                }
                while (segmentFiles(dir).size() < 3) {
                    store.appendRecords(records(List.of(new Payload("filler " + appended.size(), "", 1, 1)), appended));
                }
            }
            List<Path> files = segmentFiles(dir);
            Path target = files.get(which % (files.size() - 1));
            Path following = files.get(files.indexOf(target) + 1);
            long size = Files.size(target);
            long offset = where % size;
            if (truncate) {
                try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                    ch.truncate(offset);
                }
            } else {
                flip(target, offset, flipMask);
            }
            assertThatThrownBy(() -> FileLogStore.open(dir, FsyncMode.NONE, 300))
                    .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                        if (truncate) {
                            // cut inside a record, or at a boundary: then the next segment does not follow
                            assertThat(e.file()).isIn(target, following);
                        } else {
                            assertThat(e.file()).isEqualTo(target);
                            assertThat(e.offset()).isLessThanOrEqualTo(offset);
                        }
                        assertThat(e.getMessage()).contains(e.file().toString());
                    });
        } finally {
            deleteRecursively(dir);
        }
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<List<List<Payload>>> batches() {
        return payloads().list().ofMinSize(1).ofMaxSize(4).list().ofMaxSize(10);
    }

    private Arbitrary<Payload> payloads() {
        Arbitrary<String> messages = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just("")),
                Tuple.of(6, text(20)),
                Tuple.of(1, text(1500)));
        Arbitrary<String> keys = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("")), Tuple.of(1, text(128)));
        return Combinators.combine(messages, keys, Arbitraries.longs().between(0, 1L << 40),
                Arbitraries.integers().between(1, 1000)).as(Payload::new);
    }

    /** Text of up to {@code maxCodePoints} code points: ASCII, controls, accents, CJK, emoji (surrogate pairs). */
    private static Arbitrary<String> text(int maxCodePoints) {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.integers().between(0x00, 0x1F)),
                Tuple.of(2, Arbitraries.integers().between(0xA0, 0x4FF)),
                Tuple.of(1, Arbitraries.integers().between(0x4E00, 0x9FFF)),
                Tuple.of(1, Arbitraries.integers().between(0x1F300, 0x1FAFF)));
        return codePoint.list().ofMaxSize(maxCodePoints)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    /** Turns payloads into records continuing {@code appended} (seq +1, id strictly increasing). */
    private static List<LogRecord> records(List<Payload> batch, List<LogRecord> appended) {
        List<LogRecord> out = new ArrayList<>();
        for (Payload p : batch) {
            long lastId = appended.isEmpty() ? 0 : appended.get(appended.size() - 1).id();
            LogRecord r = new LogRecord(appended.size() + 1L, lastId + p.idGap(), p.epoch(), p.key(), p.message());
            appended.add(r);
            out.add(r);
        }
        return out;
    }

    // ------------------------------------------------------------------ damage

    /** Damages {@code file} at or after {@code from}; returns the offset of the first damaged byte. */
    private static long damage(Path file, Damage damage, long from, long fileBytes, int where, int flipMask, int junkBytes)
            throws IOException {
        long span = fileBytes - from;
        switch (damage) {
            case TRUNCATE -> {
                long cut = from + where % (span + 1);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(cut);
                }
                return cut;
            }
            case FLIP -> {
                if (span == 0) {
                    return fileBytes;
                }
                long offset = from + where % span;
                flip(file, offset, flipMask);
                return offset;
            }
            case GARBAGE -> {
                byte[] junk = new byte[junkBytes];
                new Random(where).nextBytes(junk);
                Files.write(file, junk, StandardOpenOption.APPEND);
                return fileBytes;
            }
            case ZEROS -> {
                Files.write(file, new byte[junkBytes], StandardOpenOption.APPEND);
                return fileBytes;
            }
            default -> {
                return fileBytes;
            }
        }
    }

    /** The appended records that lie wholly before {@code offset} of the last segment {@code last}. */
    private static List<LogRecord> recordsBefore(List<LogRecord> appended, Path last, long offset) {
        long base = Long.parseLong(last.getFileName().toString().substring(0, 20));
        List<LogRecord> out = new ArrayList<>();
        long end = 0;
        for (LogRecord r : appended) {
            if (r.seq() >= base) {
                end += RecordCodec.frameBytes(r);
                if (end > offset) {
                    break;
                }
            }
            out.add(r);
        }
        return out;
    }

    private static void flip(Path file, long offset, int mask) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ mask)).rewind();
            ch.write(b, offset);
        }
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    private static Path lastSegment(Path dir) throws IOException {
        List<Path> files = segmentFiles(dir);
        return files.get(files.size() - 1);
    }

    private static void copyFiles(Path from, Path to) throws IOException {
        for (Path file : segmentFiles(from)) {
            Files.copy(file, to.resolve(file.getFileName()));
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
