package dev.replog.common.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * A write to the log that the disk refused, and what it left behind: either nothing of that write
 * was appended and the store goes on ({@link AppendFailedException}: a full disk, a file-size
 * limit, an interrupted write), or the store failed and takes no more writes until the node is
 * restarted and recovers from disk ({@link LogStoreFailedException}: a failed fsync, or a failed
 * write that could not be undone). Either way no append that was acknowledged is lost.
 */
public abstract sealed class LogWriteException extends UncheckedIOException
        permits AppendFailedException, LogStoreFailedException {

    private static final long serialVersionUID = 1L;

    /** What the JDK reports (the C library's {@code strerror}) for ENOSPC, EFBIG and EDQUOT. */
    private static final Set<String> OUT_OF_SPACE = Set.of(
            "No space left on device", "File too large", "Disk quota exceeded");

    LogWriteException(String message, IOException cause) {
        super(message, cause);
    }

    /** The operating system's reason, e.g. {@code No space left on device}; never null. */
    public String reason() {
        String reason = getCause().getMessage();
        return reason == null ? getCause().getClass().getSimpleName() : reason;
    }

    /**
     * Whether the disk refused for want of space (the device is full, a quota or the process's
     * file-size limit is reached), as far as the JDK's message tells: freeing space helps.
     */
    public boolean outOfSpace() {
        return OUT_OF_SPACE.contains(getCause().getMessage());
    }
}
