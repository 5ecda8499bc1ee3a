package dev.replog.common.log;

import dev.replog.common.io.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FileLogStore}'s start: finds the log its directory holds and makes it whole again.
 *
 * <p>Every record of every segment is checked. In sealed segments any defect (bad length, CRC,
 * seq), a missing segment or an empty one is corruption a crash cannot cause:
 * {@link CorruptLogException}. In the last segment the first defect marks a torn or corrupt tail,
 * which is cut off (and logged at WARN with the file, offset and the number of bytes cut); zeros
 * after the last record are the end of the log as the writer leaves it, cut without a warning. A
 * directory without segments gets the first one, durably.
 */
final class LogRecovery {

    /** Logs under the store's name: operators set one level for everything the log store says. */
    private static final Logger log = LoggerFactory.getLogger(FileLogStore.class);
    private static final int READ_CHUNK_BYTES = 64 * 1024;

    /** The recovered log: its segments, oldest first (the last one active), and its last seq. */
    record Recovered(Segment[] segments, long lastSeq) {
    }

    private final Path dir;
    private final LongAdder fsyncs;

    /**
     * @param fsyncs counts each fsync recovery makes
     */
    LogRecovery(Path dir, LongAdder fsyncs) {
        this.dir = dir;
        this.fsyncs = fsyncs;
    }

    /**
     * Checks the segments and cuts a torn tail off the last one.
     *
     * @throws CorruptLogException when the log is damaged beyond a torn tail
     */
    Recovered recover() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            // 20-digit zero-padded names: lexical order is seq order
            files = listing.filter(p -> Segment.FILE_NAME.matcher(p.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        }
        List<Segment> recovered = new ArrayList<>();
        long next = 1;
        if (files.isEmpty()) {
            recovered.add(firstSegment());
        }
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            boolean sealed = i < files.size() - 1;
            long base = Long.parseLong(file.getFileName().toString().substring(0, 20));
            if (base != next) {
                throw new CorruptLogException(file, 0, i == 0
                        ? "the log must start at seq 1, its first segment starts at seq " + base
                        : "segment starts at seq " + base + " but the previous segment ends at seq " + (next - 1)
                                + " (a segment is missing or damaged)");
            }
            Segment.Scan scan = Segment.scan(file, base);
            if (sealed) {
                if (scan.problem() != null) {
                    throw new CorruptLogException(file, scan.validBytes(), scan.problem() + " in a sealed segment");
                }
                if (scan.count() == 0) {
                    throw new CorruptLogException(file, 0, "a sealed segment holds no records");
                }
            } else if (scan.problem() != null) {
                cutTornTail(file, scan, base);
            }
            recovered.add(Segment.existing(base, file, scan.ends(), scan.count()));
            next = base + scan.count();
        }
        return new Recovered(recovered.toArray(new Segment[0]), next - 1);
    }

    /** The segment of a new log, its file durable in the directory. */
    private Segment firstSegment() throws IOException {
        Segment first = Segment.create(dir, 1);
        try {
            if (DurableFiles.fsyncDirectory(dir)) {
                fsyncs.increment();
            }
        } catch (IOException e) {
            first.close();
            throw e;
        }
        return first;
    }

    /**
     * Cuts the last segment back to its valid records. Zeros after them are the end of the log as
     * the writer leaves it (it fills ahead with zeros; a clean close cuts them itself, a crash does
     * not); anything else is a torn or corrupt tail, and said so.
     */
    private void cutTornTail(Path file, Segment.Scan scan, long base) throws IOException {
        boolean zeros;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            zeros = onlyZeros(ch, scan.validBytes(), scan.fileBytes());
            ch.truncate(scan.validBytes());
            ch.force(false);
            fsyncs.increment();
        }
        if (zeros) {
            log.debug("Log {}: cut {} bytes of zeros written ahead from {}", dir, scan.fileBytes() - scan.validBytes(),
                    file.getFileName());
            return;
        }
        log.warn("Log {}: cut {} bytes of torn or corrupt tail from {} at offset {} ({}); the log now ends at seq {}",
                dir, scan.fileBytes() - scan.validBytes(), file.getFileName(), scan.validBytes(), scan.problem(),
                base + scan.count() - 1);
    }

    /** Whether bytes {@code from..to-1} of the file are all zero. */
    private static boolean onlyZeros(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(READ_CHUNK_BYTES);
        for (long p = from; p < to; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), to - p));
            int n = ch.read(buf, p);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) != 0) {
                    return false;
                }
            }
            p += n;
        }
        return true;
    }
}
