package dev.replog.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Torn writes at the end of a log's last segment, as a crash in the middle of a write leaves them.
 * Segments are {@code <first seq, 20 digits>.log} files of frames
 * {@code [int length][int crc32c][payload]} (common's {@code RecordCodec}); the store must cut any
 * of these tails off when it opens the log. A killed node's last segment goes on with the zeros
 * its writer keeps ahead of the records: the tear lands right after the last frame, over them,
 * where the next write would have gone.
 */
final class TornTail {

    /** seq, id, epoch, key length, message length: the smallest payload a frame holds. */
    private static final int MIN_PAYLOAD = 8 + 8 + 8 + 2 + 4;

    private TornTail() {
    }

    /**
     * One of: a frame header promising more payload than follows; a header cut in the middle; a
     * whole frame of garbage with a wrong CRC. Returns what was written.
     */
    static String tear(Path logDir, Random random) {
        Optional<Path> last = lastSegment(logDir);
        if (last.isEmpty()) {
            return "no segment in " + logDir + ": nothing to tear";
        }
        Path segment = last.get();
        int kind = random.nextInt(3);
        ByteBuffer tail;
        String what;
        switch (kind) {
            case 0 -> {
                int length = MIN_PAYLOAD + random.nextInt(200);
                int written = random.nextInt(length);
                tail = ByteBuffer.allocate(8 + written).putInt(length).putInt(random.nextInt());
                what = "a frame of " + length + " payload bytes cut after " + written;
            }
            case 1 -> {
                int written = 1 + random.nextInt(7);
                tail = ByteBuffer.allocate(written);
                what = "a frame header cut after " + written + " bytes";
            }
            default -> {
                int length = MIN_PAYLOAD + random.nextInt(64);
                tail = ByteBuffer.allocate(8 + length).putInt(length).putInt(random.nextInt());
                what = "a whole frame of " + length + " garbage bytes (bad CRC)";
            }
        }
        while (tail.hasRemaining()) {
            tail.put((byte) random.nextInt(256));
        }
        tail.flip();
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = endOfFrames(channel);
            while (tail.hasRemaining()) {
                channel.write(tail, end + tail.position());
            }
            channel.force(true);
            return what + " at offset " + end + " of " + segment.getFileName();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tear " + segment, e);
        }
    }

    /** Where the frames end: the file's end, or the first zero length (the zeros written ahead). */
    private static long endOfFrames(FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer length = ByteBuffer.allocate(4);
        long position = 0;
        while (position + 4 <= size) {
            length.clear();
            while (length.hasRemaining() && channel.read(length, position + length.position()) > 0) {
                // read the whole length field
            }
            int frame = length.getInt(0);
            if (frame <= 0 || position + 8 + frame > size) {
                break;
            }
            position += 8 + frame;
        }
        return position;
    }

    private static Optional<Path> lastSegment(Path logDir) {
        if (!Files.isDirectory(logDir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(logDir)) {
            // 20-digit names: lexical order is seq order
            return files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.log")).max(Path::compareTo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + logDir, e);
        }
    }
}
