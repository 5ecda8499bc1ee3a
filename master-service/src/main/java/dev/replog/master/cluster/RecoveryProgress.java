package dev.replog.master.cluster;

/** What the master's recovery waits for, for {@code GET /health} and the 503 of a write while RECOVERING. */
@FunctionalInterface
public interface RecoveryProgress {

    /**
     * E.g. {@code fenced 1 of 2 secondaries; need every secondary (this master has no state of its
     * own)}, or why the last attempt failed.
     */
    String waitingFor();
}
