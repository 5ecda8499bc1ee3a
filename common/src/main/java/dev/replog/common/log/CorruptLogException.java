package dev.replog.common.log;

import java.nio.file.Path;

/**
 * The on-disk log is damaged where a crash cannot have damaged it (inside a sealed segment, or
 * segments that do not continue each other), or a record read back does not match its checksum.
 * The store refuses to open or to serve such a log rather than hand out a wrong one.
 */
public class CorruptLogException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public CorruptLogException(Path file, long offset, String problem) {
        super("corrupt log segment " + file + " at byte offset " + offset + ": " + problem
                + "; the node will not serve this log (repair or remove the data directory so the node"
                + " recovers its log from its peers)");
        this.file = file;
        this.offset = offset;
    }

    /** The damaged segment file. */
    public Path file() {
        return file;
    }

    /** The byte offset in {@link #file()} of the first record that is not valid. */
    public long offset() {
        return offset;
    }
}
