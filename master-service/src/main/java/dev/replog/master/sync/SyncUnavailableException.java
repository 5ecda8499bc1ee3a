package dev.replog.master.sync;

/** No sync-service node gave an answer: the sync cluster is down, unreachable or has no majority. */
public final class SyncUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SyncUnavailableException(String message) {
        super(message);
    }
}
