package dev.replog.common.log;

import java.io.IOException;

/**
 * The store failed (an fsync failed, or a failed write could not be undone): what is in the page
 * cache is unknown, so it takes no more writes; a restart recovers the log from what is on disk.
 * Appends not yet durable when it failed fail with it, and were never acknowledged.
 */
public final class LogStoreFailedException extends LogWriteException {

    private static final long serialVersionUID = 1L;

    public LogStoreFailedException(String message, IOException cause) {
        super(message, cause);
    }
}
