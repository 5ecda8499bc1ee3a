package dev.replog.master.datadir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A number kept in one file that only ever grows and survives any crash: each advance writes a
 * temporary file, fsyncs it, renames it over the old one and fsyncs the directory, so a reader
 * after a crash sees either the old or the new value, never a torn one and never a smaller one.
 */
public final class DurableCounter {

    private final Path file;
    private volatile long value;

    public DurableCounter(Path file) {
        this.file = file;
        this.value = readOrZero(file);
    }

    public long value() {
        return value;
    }

    /** Adds {@code delta} and returns the new value once it is durable. */
    public long advance(long delta) {
        long next = Math.addExact(value, delta);
        write(next);
        value = next;
        return next;
    }

    private static long readOrZero(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return Long.parseLong(text);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Counter file " + file + " is unreadable; refusing to start "
                    + "rather than reuse numbers. Fix or remove it deliberately.", e);
        }
    }

    private void write(long next) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap((next + "\n").getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist counter " + file, e);
        }
    }

    /** Makes a rename or a new file in {@code dir} durable, where the file system allows. */
    static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories; the rename itself is still atomic there.
        }
    }
}
