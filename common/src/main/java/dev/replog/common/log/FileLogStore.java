package dev.replog.common.log;

import dev.replog.common.io.DurableFiles;
import dev.replog.common.protocol.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LogStore} in append-only segment files: the durable log of every node.
 *
 * <h2>On disk</h2>
 * {@code dir/<first seq, 20 digits>.log} segment files, each a sequence of records framed as
 * {@code [int length][int crc32c][payload]} (see {@link RecordCodec}); a segment is sealed (never
 * written again) once the next one exists, and the log starts at seq 1 with consecutive seqs across
 * segments. A {@code .lock} file keeps a second store (in this or another process) out of the directory.
 *
 * <h2>Durability</h2>
 * The single writer writes each batch with one positional write, then publishes the new
 * {@link #lastSeq()}. What happens next depends on the {@link FsyncMode}: {@code ALWAYS} fsyncs
 * inline; {@code NONE} does not; {@code GROUP} commits in groups led by the appending threads
 * ({@link GroupCommit}): one fsync covers everything appended while the previous one ran, and the
 * futures it covers complete <em>on the leading thread</em> (so do their dependants, e.g. a
 * {@code Mono.fromFuture} pipeline); an append that leads returns its future completed. A segment
 * roll fsyncs the sealed segment and the directory in every mode; so do truncation and
 * {@link #close()}. An I/O error from a write (a full disk, a file-size limit) is undone (the file
 * is cut back) and reported to the caller as {@link AppendFailedException}; a failed fsync leaves
 * the page cache in an unknown state, so it fails the store ({@link LogStoreFailedException}):
 * pending futures fail, later writes throw, and a restart recovers from what is on disk.
 *
 * <h2>Reads</h2>
 * An in-memory dense index (per segment, the end offset of each record) locates any seq without
 * scanning; reads are positional and verify each record's CRC. Reads take no lock that the writer
 * takes on its append path: they only read seqs up to the published {@code lastSeq}, whose bytes
 * and index entries are in place before it is published. {@link #truncateAfter} is the one writer
 * operation that rewrites bytes readers may be looking at: readers run under an optimistic
 * {@link StampedLock} read and retry under its read lock if a truncation overlapped.
 *
 * <h2>Recovery</h2>
 * {@link #open} checks every record of every segment ({@link LogRecovery}). In sealed segments any
 * defect (bad length, CRC, seq) is corruption a crash cannot cause: {@link CorruptLogException}. In
 * the last segment the first defect marks a torn or corrupt tail, which is cut off (and logged at
 * WARN with the file, offset and the number of bytes cut).
 */
public final class FileLogStore implements LogStore {

    private static final Logger log = LoggerFactory.getLogger(FileLogStore.class);

    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    /** Segments never grow past this, so index offsets fit an {@code int}. */
    static final long MAX_SEGMENT_BYTES = 1L << 30;
    /** The largest batch one {@link #append} call may write (it is one buffer, one write). */
    static final int MAX_BATCH_BYTES = 1 << 30;
    private static final int READ_CHUNK_BYTES = 64 * 1024;
    private static final int RETAINED_WRITE_BUFFER_BYTES = 8 * 1024 * 1024;
    private static final int CLOSED_CHANNEL_RETRIES = 3;
    /**
     * How far ahead of its records the active segment is filled with zeros (see
     * {@link #zeroFillAhead}); at most the segment size.
     */
    static final int ZERO_FILL_BYTES = 1 << 20;
    /** Zeros to write from; shared (each write takes its own duplicate), never written to. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZERO_FILL_BYTES);
    private static final String LOCK_FILE = ".lock";

    private final Path dir;
    private final FsyncMode mode;
    private final long segmentBytes;
    private final int zeroFillBytes;
    private FileChannel lockChannel;
    private FileLock dirLock;

    /** Every segment, oldest first; replaced (copy on write) on roll and truncation. */
    private volatile Segment[] segments;
    private volatile Segment active;
    private volatile long lastSeq;
    private volatile long durableSeq;

    /** Serialises the writer's operations (the contract already promises one caller at a time). */
    private final ReentrantLock writerLock = new ReentrantLock();
    /**
     * Held for one group fsync cycle, by the thread leading it, and by operations that must not
     * overlap one. Fair, so a waiting truncation goes before the next cycle.
     */
    final ReentrantLock flushLock = new ReentrantLock(true);
    /** Excludes readers from truncation and close; appends never touch it. */
    private final StampedLock readGuard = new StampedLock();
    private final StoreFailure failure;
    /** Queues appends for their fsync and leads it (GROUP only). */
    private final GroupCommit groupCommit;
    private volatile boolean closed;
    private final LongAdder fsyncs = new LongAdder();
    /** Writer-owned, reused buffer for batches up to {@link #RETAINED_WRITE_BUFFER_BYTES}. */
    private ByteBuffer writeBuffer;

    /** Test hook: runs on the leading thread just before each group fsync. */
    volatile Runnable beforeGroupFsync;

    /** Sees each fsync of appended records: how long it took and how many records it made durable. */
    @FunctionalInterface
    public interface FsyncObserver {
        FsyncObserver NONE = (nanos, records) -> { };

        void fsynced(long nanos, long records);
    }

    private volatile FsyncObserver fsyncObserver = FsyncObserver.NONE;

    /** Tells {@code observer} about every fsync that makes appended records durable (for metrics). */
    public void observeFsyncs(FsyncObserver observer) {
        this.fsyncObserver = Objects.requireNonNull(observer, "observer");
    }

    private FileLogStore(Path dir, FsyncMode mode, long segmentBytes) throws IOException {
        this.dir = dir;
        this.mode = mode;
        this.segmentBytes = segmentBytes;
        this.zeroFillBytes = (int) Math.min(ZERO_FILL_BYTES, segmentBytes);
        this.failure = new StoreFailure(dir);
        this.groupCommit = new GroupCommit(flushLock, failure, () -> !closed && lastSeq > durableSeq,
                this::fsyncWritten);
        Files.createDirectories(dir);
        lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            try {
                dirLock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                dirLock = null;
            }
            if (dirLock == null) {
                throw new IllegalStateException("log directory " + dir + " is already in use by another log store");
            }
            startFrom(new LogRecovery(dir, fsyncs).recover());
        } catch (IOException | RuntimeException e) {
            releaseDirectory();
            throw e;
        }
    }

    /** Opens (or creates) the log in {@code dir} with group commit and 64 MiB segments. */
    public static FileLogStore open(Path dir) {
        return open(dir, FsyncMode.GROUP, DEFAULT_SEGMENT_BYTES);
    }

    /** Opens (or creates) the log in {@code dir} with 64 MiB segments. */
    public static FileLogStore open(Path dir, FsyncMode mode) {
        return open(dir, mode, DEFAULT_SEGMENT_BYTES);
    }

    /**
     * Opens (or creates) the log in {@code dir}, recovering it from disk.
     *
     * @param segmentBytes a segment rolls before a batch would take it past this size (a batch is
     *                     never split, so a lone large batch may exceed it); at most 1 GiB
     * @throws CorruptLogException when the log is damaged beyond a torn tail
     * @throws IllegalStateException when another store has the directory open
     * @throws UncheckedIOException when the directory cannot be read or written
     */
    public static FileLogStore open(Path dir, FsyncMode mode, long segmentBytes) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(mode, "mode");
        if (segmentBytes < 1 || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be in 1.." + MAX_SEGMENT_BYTES + ", was " + segmentBytes);
        }
        try {
            return new FileLogStore(dir, mode, segmentBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log in " + dir + ": " + e, e);
        }
    }

    // ---------------------------------------------------------------- recovery

    /** Takes the log that recovery found: everything on disk is durable. */
    private void startFrom(LogRecovery.Recovered recovered) {
        segments = recovered.segments();
        active = segments[segments.length - 1];
        lastSeq = recovered.lastSeq();
        durableSeq = recovered.lastSeq();
        log.info("Opened log {} (fsync={}): seq 1..{} in {} segment(s)", dir, mode.name().toLowerCase(), lastSeq,
                segments.length);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public long lastSeq() {
        return lastSeq;
    }

    @Override
    public long durableSeq() {
        return durableSeq;
    }

    @Override
    public Optional<Entry> get(long seq) {
        if (seq < 1 || seq > lastSeq) {
            return Optional.empty();
        }
        List<LogRecord> one = readRecords(seq, 1);
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0).toEntry());
    }

    /** {@inheritDoc} A record takes its frame's bytes, read from the segment's index. */
    @Override
    public List<LogRecord> readRecords(long fromSeq, int limit, long maxBytes) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        long stamp = readGuard.tryOptimisticRead();
        if (stamp != 0L) {
            try {
                List<LogRecord> records = readUnguarded(fromSeq, limit, maxBytes);
                if (readGuard.validate(stamp)) {
                    return records;
                }
            } catch (RuntimeException e) {
                if (readGuard.validate(stamp)) {
                    throw e;
                }
                // a truncation or close overlapped the read; read again, excluding them
            }
        }
        stamp = readGuard.readLock();
        try {
            return readUnguarded(fromSeq, limit, maxBytes);
        } finally {
            readGuard.unlockRead(stamp);
        }
    }

    private List<LogRecord> readUnguarded(long fromSeq, int limit, long maxBytes) {
        if (closed) {
            throw new IllegalStateException("log store " + dir + " is closed");
        }
        long last = lastSeq;
        long from = Math.max(fromSeq, 1);
        if (limit == 0 || from > last) {
            return List.of();
        }
        Segment[] segs = segments;
        long to = lastWithin(segs, from, from - 1 + Math.min(limit, last - from + 1), maxBytes);
        List<LogRecord> out = new ArrayList<>((int) (to - from + 1));
        long seq = from;
        for (int s = segmentIndex(segs, from); seq <= to; s++) {
            Segment seg = segs[s];
            long segTo = s + 1 < segs.length ? Math.min(to, segs[s + 1].baseSeq - 1) : to;
            int[] ends = seg.ends();
            while (seq <= segTo) {
                int first = (int) (seq - seg.baseSeq);
                int lastInChunk = first;
                int maxIndex = (int) (segTo - seg.baseSeq);
                long start = first == 0 ? 0 : ends[first - 1];
                while (lastInChunk < maxIndex && ends[lastInChunk + 1] - start <= READ_CHUNK_BYTES) {
                    lastInChunk++;
                }
                long bytes = ends[lastInChunk] - start;
                if (bytes < RecordCodec.MIN_FRAME_BYTES
                        || bytes > Math.max(READ_CHUNK_BYTES, RecordCodec.HEADER_BYTES + RecordCodec.MAX_PAYLOAD_BYTES)) {
                    throw new CorruptLogException(seg.path, start, "index holds an impossible extent of " + bytes + " bytes");
                }
                ByteBuffer buf = ByteBuffer.allocate((int) bytes);
                readFully(seg, buf, start);
                int at = 0;
                for (int i = first; i <= lastInChunk; i++) {
                    int frame = (int) (ends[i] - (i == 0 ? 0 : ends[i - 1]));
                    long expectedSeq = seg.baseSeq + i;
                    String problem = buf.getInt(at) != frame - RecordCodec.HEADER_BYTES
                            ? "record length " + buf.getInt(at) + " does not match the index (" + frame + " byte frame)"
                            : RecordCodec.payloadProblem(buf, at, frame - RecordCodec.HEADER_BYTES, expectedSeq);
                    if (problem != null) {
                        throw new CorruptLogException(seg.path, start + at, problem);
                    }
                    out.add(RecordCodec.decode(buf, at));
                    at += frame;
                }
                seq = seg.baseSeq + lastInChunk + 1;
            }
        }
        return out;
    }

    /**
     * The last seq of {@code from..to} whose frames, from {@code from} on, take at most
     * {@code maxBytes} ({@code from} at least): read from the segments' indexes, before any record.
     */
    private static long lastWithin(Segment[] segs, long from, long to, long maxBytes) {
        if (maxBytes == Long.MAX_VALUE) {
            return to;
        }
        long bytes = 0;
        long seq = from;
        for (int s = segmentIndex(segs, from); seq <= to; s++) {
            Segment seg = segs[s];
            long segTo = s + 1 < segs.length ? Math.min(to, segs[s + 1].baseSeq - 1) : to;
            int[] ends = seg.ends();
            for (; seq <= segTo; seq++) {
                int i = (int) (seq - seg.baseSeq);
                bytes += ends[i] - (i == 0 ? 0 : ends[i - 1]);
                if (bytes > maxBytes && seq > from) {
                    return seq - 1;
                }
            }
        }
        return to;
    }

    /** The index of the segment holding {@code seq} (the last one whose base is not after it). */
    private static int segmentIndex(Segment[] segs, long seq) {
        int lo = 0;
        int hi = segs.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segs[mid].baseSeq <= seq) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private void readFully(Segment seg, ByteBuffer buf, long position) {
        for (int attempt = 0; ; attempt++) {
            buf.clear();
            try {
                FileChannel ch = seg.reader();
                long p = position;
                while (buf.hasRemaining()) {
                    int n = ch.read(buf, p);
                    if (n < 0) {
                        throw new CorruptLogException(seg.path, p, "file ends before the indexed record does");
                    }
                    p += n;
                }
                buf.flip();
                return;
            } catch (ClosedByInterruptException e) {
                // this reader was interrupted (and closed the channel; the next read reopens it)
                throw new UncheckedIOException("read of " + seg.path + " interrupted", e);
            } catch (ClosedChannelException e) {
                if (closed) {
                    throw new IllegalStateException("log store " + dir + " is closed", e);
                }
                if (seg.isClosed() || attempt >= CLOSED_CHANNEL_RETRIES) {
                    // dropped by a truncation: the caller's optimistic read fails validation
                    throw new UncheckedIOException("segment " + seg.path + " was closed during a read", e);
                }
                // another reader's interrupt closed the shared channel: reopen and read again
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + seg.path + ": " + e, e);
            }
        }
    }

    // ---------------------------------------------------------------- appends

    @Override
    public CompletableFuture<Long> append(List<Entry> entries) {
        Objects.requireNonNull(entries, "entries");
        List<LogRecord> records = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            records.add(LogRecord.of(entry));
        }
        return appendRecords(records);
    }

    /** Like {@link #append}, storing each record's epoch and idempotency key too. */
    @Override
    public CompletableFuture<Long> appendRecords(List<LogRecord> records) {
        CompletableFuture<Long> queued;
        writerLock.lock();
        try {
            ensureWritable();
            if (records.isEmpty()) {
                return CompletableFuture.completedFuture(durableSeq);
            }
            long first = lastSeq + 1;
            RecordCodec.Encoded[] encoded = new RecordCodec.Encoded[records.size()];
            long total = 0;
            for (int i = 0; i < encoded.length; i++) {
                LogRecord r = records.get(i);
                if (r.seq() != first + i) {
                    throw new IllegalArgumentException(
                            "append must continue the log: expected seq " + (first + i) + ", got " + r.seq());
                }
                encoded[i] = RecordCodec.encode(r);
                total += encoded[i].frameBytes();
            }
            if (total > MAX_BATCH_BYTES) {
                throw new IllegalArgumentException("a batch of " + total + " bytes is larger than one append may write ("
                        + MAX_BATCH_BYTES + "); split it");
            }
            Segment seg = active;
            if (seg.count() > 0 && seg.sizeBytes() + total > segmentBytes) {
                seg = roll(first);
            }
            long position = seg.sizeBytes();
            ByteBuffer buf = writeBuffer((int) total);
            for (RecordCodec.Encoded e : encoded) {
                RecordCodec.write(e, buf);
            }
            buf.flip();
            write(seg, buf, position);
            long end = position;
            for (RecordCodec.Encoded e : encoded) {
                end += e.frameBytes();
                seg.addEnd((int) end);
            }
            zeroFillAhead(seg, end);
            long newLast = first + encoded.length - 1;
            switch (mode) {
                case NONE:
                    lastSeq = newLast;
                    durableSeq = newLast;
                    return CompletableFuture.completedFuture(newLast);
                case ALWAYS:
                    lastSeq = newLast;
                    long started = System.nanoTime();
                    try {
                        force(seg);
                    } catch (IOException e) {
                        return CompletableFuture.failedFuture(failure.fail("fsync of " + seg.path, e));
                    }
                    fsyncObserver.fsynced(System.nanoTime() - started, encoded.length);
                    durableSeq = newLast;
                    return CompletableFuture.completedFuture(newLast);
                default:
                    queued = groupCommit.queue(newLast); // before lastSeq: the fsync that covers newLast must find it
                    lastSeq = newLast;
            }
        } finally {
            writerLock.unlock();
            groupCommit.failQueuedIfFailed(); // outside the lock; also catches a queued append a failing leader missed
        }
        groupCommit.lead(); // outside the writer's lock: other threads may append (and queue) meanwhile
        return queued;
    }

    private ByteBuffer writeBuffer(int size) {
        if (size > RETAINED_WRITE_BUFFER_BYTES) {
            return ByteBuffer.allocateDirect(size);
        }
        if (writeBuffer == null || writeBuffer.capacity() < size) {
            writeBuffer = ByteBuffer.allocateDirect(Math.max(64 * 1024, Integer.highestOneBit(size - 1) << 1));
        }
        return writeBuffer.clear().limit(size);
    }

    /** One positional write of the batch; on failure cuts the file back so nothing was appended. */
    private void write(Segment seg, ByteBuffer buf, long position) {
        long p = position;
        try {
            FileChannel ch = seg.writer();
            while (buf.hasRemaining()) {
                p += ch.write(buf, p);
            }
        } catch (IOException e) {
            boolean interrupted = Thread.interrupted(); // let the repair run; restored below
            try {
                seg.writer().truncate(position);
            } catch (IOException repair) {
                e.addSuppressed(repair);
                throw failure.fail("undoing a failed write to " + seg.path, e);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            seg.zeroedTo(0); // the cut took any zeros written ahead with it
            throw new AppendFailedException("append to " + seg.path + " failed, nothing was appended: " + e, e);
        }
    }

    /**
     * Keeps the active segment filled with zeros ahead of its records, up to {@link #ZERO_FILL_BYTES}
     * (not past the segment size), written half a chunk before the records reach them. Records
     * written over zeros that are on disk already change neither the file's size nor its extents,
     * so their fsync ({@code fdatasync}) flushes data only, where one that grows the file must also
     * commit metadata through the file system's journal, which makes it markedly slower (figures in
     * docs/durability-and-recovery.md). The fsync that covers a new chunk of zeros pays for that
     * once. Recovery takes the zeros for the end of the log, and {@link #close} and a roll cut them
     * off. Failing to write them (a full disk) only stops this for the segment: the records are
     * written, the zeros are an optimisation.
     */
    private void zeroFillAhead(Segment seg, long end) {
        long from = seg.fileBytes();
        long target = Math.min(end + zeroFillBytes, Math.max(segmentBytes, end));
        if (!seg.zeroFilling() || from - end >= zeroFillBytes / 2 || target <= from) {
            return;
        }
        long p = from;
        try {
            FileChannel ch = seg.writer();
            while (p < target) {
                ByteBuffer zeros = ZEROS.duplicate();
                zeros.limit((int) Math.min(zeros.capacity(), target - p));
                p += ch.write(zeros, p);
            }
        } catch (IOException e) {
            seg.stopZeroFilling();
            log.warn("Log {}: could not write zeros ahead in {} ({}); appends to it go on without", dir,
                    seg.path.getFileName(), e.toString());
        }
        seg.zeroedTo(p);
    }

    /**
     * Cuts the zeros written ahead off {@code seg} (not fsynced: the caller fsyncs); false when
     * there were none.
     */
    private static boolean cutZeros(Segment seg) throws IOException {
        if (seg.fileBytes() == seg.sizeBytes()) {
            return false;
        }
        seg.writer().truncate(seg.sizeBytes());
        seg.zeroedTo(0);
        return true;
    }

    /** Seals the active segment (fsynced) and starts a new one at {@code nextSeq}. */
    private Segment roll(long nextSeq) {
        Segment old = active;
        Segment next;
        try {
            cutZeros(old); // a sealed segment ends with its last record
            force(old);
            next = Segment.create(dir, nextSeq);
            fsyncDirectory();
        } catch (IOException e) {
            throw failure.fail("rolling " + old.path + " to a new segment", e);
        }
        flushLock.lock(); // a leading thread must not be forcing the old writer while it closes
        try {
            Segment[] segs = segments;
            Segment[] grown = Arrays.copyOf(segs, segs.length + 1);
            grown[segs.length] = next;
            segments = grown;
            active = next;
            old.closeWriter();
        } finally {
            flushLock.unlock();
        }
        log.debug("Log {}: sealed {}, started {}", dir, old.path.getFileName(), next.path.getFileName());
        return next;
    }

    /**
     * fsyncs (data and the metadata needed to read it back, i.e. {@code fdatasync}) the segment. A
     * channel closed under us by another thread's interrupt is reopened and the fsync retried: the
     * written bytes are still in the page cache, and fsync covers the file, not the descriptor.
     */
    private void force(Segment seg) throws IOException {
        boolean interrupted = false;
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    seg.writer().force(false);
                    fsyncs.increment();
                    return;
                } catch (ClosedChannelException e) {
                    if (e instanceof ClosedByInterruptException) {
                        interrupted |= Thread.interrupted();
                    }
                    if (attempt >= CLOSED_CHANNEL_RETRIES) {
                        throw e;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void fsyncDirectory() throws IOException {
        if (DurableFiles.fsyncDirectory(dir)) {
            fsyncs.increment();
        }
    }

    // ---------------------------------------------------------------- group commit

    /**
     * The fsync of one group commit, called holding {@link #flushLock}: fsyncs every record written
     * so far and returns the durable seq.
     *
     * @throws LogStoreFailedException when the fsync failed, which failed the store
     */
    private long fsyncWritten() {
        long target = lastSeq; // read before active: a roll fsyncs the old segment first
        Segment seg = active;
        if (target > durableSeq) {
            Runnable hook = beforeGroupFsync;
            if (hook != null) {
                hook.run();
            }
            long started = System.nanoTime();
            try {
                force(seg);
            } catch (IOException e) {
                throw failure.fail("group fsync of " + seg.path, e);
            }
            fsyncObserver.fsynced(System.nanoTime() - started, target - durableSeq);
            durableSeq = target;
        }
        return durableSeq;
    }

    @Override
    public Optional<LogStoreFailedException> failure() {
        return Optional.ofNullable(failure.get());
    }

    private void ensureWritable() {
        if (closed) {
            throw new IllegalStateException("log store " + dir + " is closed");
        }
        LogStoreFailedException f = failure.get();
        if (f != null) {
            throw new LogStoreFailedException(f.getMessage(), f.getCause());
        }
    }

    // ---------------------------------------------------------------- truncation and close

    @Override
    public void truncateAfter(long seq) {
        writerLock.lock();
        try {
            ensureWritable();
            long keepLast = Math.max(seq, 0);
            if (keepLast >= lastSeq) {
                return;
            }
            long removed = lastSeq - keepLast;
            Runnable settleQueued;
            long stamp = readGuard.writeLock();
            flushLock.lock();
            try {
                settleQueued = truncateLocked(keepLast);
            } catch (IOException e) {
                throw failure.fail("truncating after seq " + keepLast, e);
            } finally {
                flushLock.unlock();
                readGuard.unlockWrite(stamp);
            }
            log.info("Log {}: dropped {} entries after seq {}", dir, removed, keepLast);
            settleQueued.run(); // outside the locks: callbacks may read the store
        } finally {
            writerLock.unlock();
            groupCommit.failQueuedIfFailed();
        }
    }

    /** Truncates disk and index; returns what settles every queued append, to run unlocked. */
    private Runnable truncateLocked(long keepLast) throws IOException {
        Segment[] segs = segments;
        int holder = segmentIndex(segs, keepLast + 1); // holds the first entry to drop
        int keep = segs[holder].baseSeq == keepLast + 1 && holder > 0 ? holder - 1 : holder;
        for (int i = segs.length - 1; i > keep; i--) {
            // newest first, each deletion durable before the next: a crash leaves a clean prefix
            segs[i].close();
            Files.deleteIfExists(segs[i].path);
            fsyncDirectory();
        }
        Segment tail = segs[keep];
        int records = (int) (keepLast - tail.baseSeq + 1);
        long size = records == 0 ? 0 : tail.ends()[records - 1];
        FileChannel ch = tail.writer();
        ch.truncate(size);
        ch.force(false); // fdatasync covers the new file size
        fsyncs.increment();
        tail.truncateIndex(records);
        segments = Arrays.copyOf(segs, keep + 1);
        active = tail;
        lastSeq = keepLast;
        durableSeq = keepLast; // everything up to it is fsynced now (older segments at their roll)
        return groupCommit.takeQueuedForTruncation(keepLast);
    }

    /**
     * Stops the store: in GROUP mode after a last fsync of everything written (completing the
     * pending appends), in NONE mode after an fsync too. Later appends throw, reads too.
     */
    @Override
    public void close() {
        writerLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            writerLock.unlock();
        }
        if (mode == FsyncMode.GROUP && failure.get() == null) {
            groupCommit.commitLast();
        } else if (mode == FsyncMode.NONE && failure.get() == null) {
            try {
                force(active);
            } catch (IOException e) {
                failure.fail("final fsync of " + active.path, e);
            }
        }
        // none unless the store failed: the final fsync covered every append written before the close
        RuntimeException failed = failure.get();
        groupCommit.failQueued(failed != null ? failed
                : new IllegalStateException("log store " + dir + " closed before the append was durable"));
        if (failure.get() == null) {
            try {
                if (cutZeros(active)) { // a clean stop leaves files exactly as long as their records
                    force(active);
                }
            } catch (IOException e) {
                failure.fail("cutting the zeros off " + active.path + " at close", e);
            }
        }
        long stamp = readGuard.writeLock();
        try {
            for (Segment seg : segments) {
                seg.close();
            }
            releaseDirectory();
        } finally {
            readGuard.unlockWrite(stamp);
        }
        log.info("Closed log {} at seq {} (durable {})", dir, lastSeq, durableSeq);
    }

    private void releaseDirectory() {
        try {
            if (dirLock != null) {
                dirLock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        try {
            lockChannel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    // ---------------------------------------------------------------- for tests and operators

    /** The fsyncs (of segment files and the directory) this store has made. */
    long fsyncCount() {
        return fsyncs.sum();
    }

    /** The bytes of the active segment's records (without the zeros written ahead). */
    long activeSegmentBytes() {
        return active.sizeBytes();
    }

    Path directory() {
        return dir;
    }

    FsyncMode fsyncMode() {
        return mode;
    }

    @Override
    public String toString() {
        return "FileLogStore[" + dir + ", fsync=" + mode.name().toLowerCase() + ", lastSeq=" + lastSeq + ", durableSeq="
                + durableSeq + "]";
    }
}
