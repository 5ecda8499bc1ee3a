package dev.replog.master.log;

/** No sync-service node gave an answer: the sync cluster is down, unreachable or has no majority. */
final class SyncUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SyncUnavailableException(String message) {
        super(message);
    }
}
