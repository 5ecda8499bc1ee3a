package dev.replog.secondary.replication;

import dev.replog.common.io.DurableFiles;
import dev.replog.common.log.AppendFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The highest master epoch this node has accepted, kept in one small file ({@code data-dir/epoch})
 * that survives any crash: each write {@link DurableFiles#replace replaces} it whole, so after a
 * crash the file holds the old or the new value, never a torn one. A node that forgot its epoch
 * could accept a stale master again.
 *
 * <p>Not thread-safe: {@link ReplicaLog}'s single writer is the one caller of {@link #write}.
 */
final class EpochFile {

    private final Path file;

    EpochFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    Path path() {
        return file;
    }

    /** Whether the file exists: a node without it is new or lost its data. */
    boolean exists() {
        return Files.exists(file);
    }

    /**
     * The stored epoch, 0 when the file does not exist (a new node).
     *
     * @throws IllegalStateException when the file exists but does not hold a non-negative number:
     *                               the node must not start and forget which masters are stale
     */
    long read() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw unreadable("cannot be read: " + e, e);
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw unreadable("does not hold a number: \"" + abbreviate(text) + "\"", e);
        }
        if (value < 0) {
            throw unreadable("holds a negative epoch " + value, null);
        }
        return value;
    }

    /** Stores {@code epoch}; returns once it is durable. */
    void write(long epoch) {
        try {
            Files.createDirectories(file.getParent());
            DurableFiles.replace(file, (epoch + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new AppendFailedException("cannot persist epoch " + epoch + " to " + file
                    + ", nothing was appended: " + e, e);
        }
    }

    private IllegalStateException unreadable(String problem, Exception cause) {
        return new IllegalStateException("The epoch file " + file + " " + problem + "; refusing to start rather than "
                + "forget which masters are stale. Fix it, or remove it deliberately (the node then follows any "
                + "master's epoch again).", cause);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
