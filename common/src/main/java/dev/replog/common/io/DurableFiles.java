package dev.replog.common.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Small files that survive any crash: replaced whole, created and deleted so that the change is on
 * disk when the call returns.
 *
 * <p>{@link #replace} writes {@code <name>.tmp} ({@link #TEMP_SUFFIX}) next to the file, fsyncs it, renames it over the
 * file and fsyncs the directory, so after a crash the file holds its old or its new content, never a
 * torn mix. A {@code .tmp} file found after a crash is a replacement that never took effect.
 *
 * <h2>A directory fsync</h2>
 * A rename, a new file or a deletion is durable only once its directory is fsynced. The rule for
 * that fsync, in every method here:
 * <ul>
 *   <li>a directory that cannot be opened (platforms without directory fsync, such as Windows) is
 *       skipped: there is nothing to fsync, and the rename itself is still atomic there;</li>
 *   <li>an fsync of an opened directory that fails is an {@link IOException} the caller sees: the
 *       change may not be durable, as after a failed write.</li>
 * </ul>
 *
 * <p>None of the methods creates the directory; the caller decides whether a missing one may be made.
 */
public final class DurableFiles {

    /** Ends the name of the temporary file {@link #replace} writes next to the file it replaces. */
    public static final String TEMP_SUFFIX = ".tmp";

    private DurableFiles() {
    }

    /**
     * Replaces the content of {@code file} (or creates it) with {@code content}; returns once the
     * new content is durable.
     *
     * @throws IOException when a step fails; the file then holds its old content, or the new one if
     *                     only the directory fsync failed (which a crash may still undo)
     */
    public static void replace(Path file, byte[] content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = dir.resolve(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(dir);
    }

    /**
     * Creates {@code file} empty unless it exists (an existing file keeps its content), and makes it
     * durable: the file and its directory are fsynced.
     */
    public static void createEmpty(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        fsyncDirectory(target.getParent());
    }

    /**
     * Deletes {@code file} if it exists and makes the deletion durable (its directory is fsynced).
     *
     * @return whether the file existed
     */
    public static boolean deleteIfExists(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        if (!Files.deleteIfExists(target)) {
            return false;
        }
        fsyncDirectory(target.getParent());
        return true;
    }

    /**
     * Makes the renames, new files and deletions in {@code dir} durable, under the rule in the class
     * comment.
     *
     * @return whether the directory was fsynced; false where it cannot be opened
     * @throws IOException when the fsync of the opened directory fails
     */
    public static boolean fsyncDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            return false;
        }
        try (channel) {
            channel.force(true);
        }
        return true;
    }
}
