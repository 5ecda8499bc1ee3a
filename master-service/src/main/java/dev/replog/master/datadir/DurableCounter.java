package dev.replog.master.datadir;

import dev.replog.common.io.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A number kept in one file that only ever grows and survives any crash: each advance
 * {@link DurableFiles#replace replaces} the file whole, so a reader after a crash sees either the
 * old or the new value, never a torn one and never a smaller one.
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
            Files.createDirectories(file.toAbsolutePath().getParent());
            DurableFiles.replace(file, (next + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist counter " + file, e);
        }
    }
}
