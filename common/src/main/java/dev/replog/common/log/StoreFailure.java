package dev.replog.common.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a {@link FileLogStore} has failed, and why: the first cause wins and is logged once at
 * ERROR; the store takes no more writes from then on.
 */
final class StoreFailure {

    /** Logs under the store's name: operators set one level for everything the log store says. */
    private static final Logger log = LoggerFactory.getLogger(FileLogStore.class);

    private final Path dir;
    private final AtomicReference<LogStoreFailedException> failure = new AtomicReference<>();

    StoreFailure(Path dir) {
        this.dir = dir;
    }

    /** Marks the store failed by {@code what} unless it failed already; returns the failure in force. */
    LogStoreFailedException fail(String what, IOException cause) {
        LogStoreFailedException f = new LogStoreFailedException("log store " + dir + " failed (" + what
                + "); it accepts no more writes, restart the node to recover from disk: " + cause, cause);
        if (failure.compareAndSet(null, f)) {
            log.error(f.getMessage(), cause);
        }
        return failure.get();
    }

    /** The failure in force, or null while the store is healthy. */
    LogStoreFailedException get() {
        return failure.get();
    }
}
