package dev.replog.common.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One segment file {@code <baseSeq, 20 digits>.log} of a {@link FileLogStore} and its dense index.
 *
 * <p>The index holds, for the i-th record of the segment (seq {@code baseSeq + i}), the file offset
 * where it ends ({@code int}: a segment never outgrows {@link FileLogStore#MAX_SEGMENT_BYTES}); it
 * starts where the previous one ends. Only the store's writer changes it: it writes an element and
 * only then publishes the store's {@code lastSeq}, and a grown array is published through a volatile
 * field, so a reader that read {@code lastSeq} first sees the offsets of every seq up to it.
 *
 * <p>Readers and the writer use separate channels. {@link FileChannel} is interruptible: a thread
 * interrupted during I/O closes the channel for everybody, so both channels are reopened on demand
 * (an interrupted reader cannot break the writer, nor a cancelled request the store).
 */
final class Segment {

    static final Pattern FILE_NAME = Pattern.compile("(\\d{20})\\.log");
    private static final int SCAN_BUFFER_BYTES = 1024 * 1024;

    final long baseSeq;
    final Path path;

    private volatile int[] ends;
    /** Records in the segment; the writer's own. */
    private int count;
    /**
     * Where the zeros the writer wrote ahead of the records end (so that an fsync of new records
     * changes no file metadata); at or below {@link #sizeBytes()} when there are none. The writer's own.
     */
    private long zeroedTo;
    /** Whether the writer still writes zeros ahead (it stops after a failed attempt). */
    private boolean zeroFilling = true;

    private volatile FileChannel writer;
    private volatile FileChannel reader;
    private volatile boolean closed;

    private Segment(long baseSeq, Path path, int[] ends, int count) {
        this.baseSeq = baseSeq;
        this.path = path;
        this.ends = ends;
        this.count = count;
    }

    static String fileName(long baseSeq) {
        return String.format("%020d.log", baseSeq);
    }

    /** A new, empty segment file; fails if the file exists. */
    static Segment create(Path dir, long baseSeq) throws IOException {
        Path path = dir.resolve(fileName(baseSeq));
        Segment segment = new Segment(baseSeq, path, new int[1024], 0);
        segment.writer = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return segment;
    }

    /** An existing segment whose first {@code count} records end at {@code ends}, the file as long as they. */
    static Segment existing(long baseSeq, Path path, int[] ends, int count) {
        return new Segment(baseSeq, path, ends.length == 0 ? new int[1024] : ends, count);
    }

    int count() {
        return count;
    }

    /** Bytes of the segment's valid records (writer side). */
    long sizeBytes() {
        return count == 0 ? 0 : ends[count - 1];
    }

    /** Writer only: the next record ends at {@code end}. */
    void addEnd(int end) {
        int[] a = ends;
        if (count == a.length) {
            a = Arrays.copyOf(a, a.length * 2);
            ends = a;
        }
        a[count++] = end;
    }

    /** Writer only, with readers excluded: keep the first {@code keep} records (the file was cut to them). */
    void truncateIndex(int keep) {
        count = keep;
        zeroedTo = 0;
    }

    /** Writer only: the file's length as the writer made it (records, then any zeros). */
    long fileBytes() {
        return Math.max(zeroedTo, sizeBytes());
    }

    /** Writer only: zeros were written ahead up to {@code end}; 0 once they are cut off. */
    void zeroedTo(long end) {
        zeroedTo = end;
    }

    boolean zeroFilling() {
        return zeroFilling;
    }

    /** Writer only: write no more zeros ahead into this segment (an attempt failed). */
    void stopZeroFilling() {
        zeroFilling = false;
    }

    /** The index as the reader sees it: valid for every seq up to the store's published lastSeq. */
    int[] ends() {
        return ends;
    }

    FileChannel writer() throws IOException {
        FileChannel ch = writer;
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        synchronized (this) {
            if (closed) {
                throw new ClosedChannelException();
            }
            ch = writer;
            if (ch == null || !ch.isOpen()) {
                ch = FileChannel.open(path, StandardOpenOption.WRITE);
                writer = ch;
            }
            return ch;
        }
    }

    FileChannel reader() throws IOException {
        FileChannel ch = reader;
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        synchronized (this) {
            if (closed) {
                throw new ClosedChannelException();
            }
            ch = reader;
            if (ch == null || !ch.isOpen()) {
                ch = FileChannel.open(path, StandardOpenOption.READ);
                reader = ch;
            }
            return ch;
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** A sealed segment is never written again (until a truncation makes it the active one). */
    synchronized void closeWriter() {
        closeQuietly(writer);
        writer = null;
    }

    synchronized void close() {
        closed = true;
        closeQuietly(writer);
        closeQuietly(reader);
        writer = null;
        reader = null;
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }

    /** What {@link #scan} found: the valid records, and why it stopped early if it did. */
    record Scan(int[] ends, int count, long validBytes, long fileBytes, String problem) {
    }

    /**
     * Reads the file from the start and checks every record (frame, CRC, consecutive seqs from
     * {@code baseSeq}); stops at the first one that is not valid.
     */
    static Scan scan(Path path, long baseSeq) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileBytes = ch.size();
            if (fileBytes > FileLogStore.MAX_SEGMENT_BYTES) {
                return new Scan(new int[0], 0, 0, fileBytes,
                        "segment of " + fileBytes + " bytes is larger than any segment this store writes");
            }
            int[] ends = new int[1024];
            int count = 0;
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(SCAN_BUFFER_BYTES, Math.max(fileBytes, 1)));
            long bufStart = 0;
            buf.limit(0);
            long pos = 0;
            long seq = baseSeq;
            String problem = null;
            while (pos < fileBytes) {
                long available = fileBytes - pos;
                int need = (int) Math.min(available, RecordCodec.HEADER_BYTES);
                if (pos + need > bufStart + buf.limit()) {
                    buf = refill(ch, buf, pos, need, fileBytes);
                    bufStart = pos;
                }
                int at = (int) (pos - bufStart);
                if (available >= RecordCodec.HEADER_BYTES) {
                    int length = buf.getInt(at);
                    if (length >= RecordCodec.FIXED_PAYLOAD_BYTES && length <= RecordCodec.MAX_PAYLOAD_BYTES
                            && length <= available - RecordCodec.HEADER_BYTES) {
                        int frame = RecordCodec.HEADER_BYTES + length;
                        if (pos + frame > bufStart + buf.limit()) {
                            buf = refill(ch, buf, pos, frame, fileBytes);
                            bufStart = pos;
                            at = 0;
                        }
                    }
                }
                problem = RecordCodec.problem(buf, at, available, seq);
                if (problem != null) {
                    break;
                }
                pos += RecordCodec.HEADER_BYTES + buf.getInt(at);
                if (count == ends.length) {
                    ends = Arrays.copyOf(ends, count * 2);
                }
                ends[count++] = (int) pos;
                seq++;
            }
            return new Scan(ends, count, pos, fileBytes, problem);
        }
    }

    /** Loads the file from {@code pos} into the buffer (grown if {@code need} exceeds it), as full as it goes. */
    private static ByteBuffer refill(FileChannel ch, ByteBuffer buf, long pos, int need, long fileBytes) throws IOException {
        ByteBuffer b = buf.capacity() >= need ? buf : ByteBuffer.allocateDirect(need);
        b.clear();
        b.limit((int) Math.min(b.capacity(), fileBytes - pos));
        long p = pos;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                break;
            }
            p += n;
        }
        b.flip();
        return b;
    }
}
