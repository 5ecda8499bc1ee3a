package dev.replog.common.web;

import dev.replog.common.log.AppendFailedException;
import dev.replog.common.log.LogWriteException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The node's disk refused a write, as the client sees it. When the write was cut back, the answer
 * is definite although a 5xx: nothing of the request was appended ({@code "appended": false}), so
 * it may be retried as it is — {@code 507} when the disk is out of space, {@code 503} for another
 * refused write. When the node's log store failed ({@code 503}), the outcome of a write caught in
 * it is unknown until the node is restarted and recovers its log from disk: retry it with the same
 * {@code Idempotency-Key} then.
 */
public final class StorageException extends ReplogException {

    private final Map<String, Object> properties;

    private StorageException(HttpStatus status, String title, String detail, Map<String, Object> properties) {
        super(status, title, detail);
        this.properties = properties;
    }

    /** The answer to a request that failed with {@code error}. */
    public static StorageException of(LogWriteException error) {
        if (error instanceof AppendFailedException) {
            return error.outOfSpace()
                    ? new StorageException(HttpStatus.INSUFFICIENT_STORAGE, "Out of disk space",
                            "the node's disk has no room for the write (" + error.reason()
                                    + "): nothing was appended; free space on its data disk, then retry",
                            Map.of("appended", false))
                    : new StorageException(HttpStatus.SERVICE_UNAVAILABLE, "Log write failed",
                            "the node could not write its log (" + error.reason() + "): nothing was appended; retry",
                            Map.of("appended", false));
        }
        return new StorageException(HttpStatus.SERVICE_UNAVAILABLE, "Log store failed",
                "the node's log store failed (" + error.reason() + ") and takes no writes until the node is"
                        + " restarted, when it recovers its log from disk; acknowledged writes are kept, and a"
                        + " write that got this answer may or may not be in the log: retry it with the same"
                        + " Idempotency-Key once the node is back",
                Map.of());
    }

    @Override
    public Map<String, Object> properties() {
        return properties;
    }
}
