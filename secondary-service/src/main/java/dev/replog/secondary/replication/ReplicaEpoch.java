package dev.replog.secondary.replication;

/**
 * The highest master epoch this replica has accepted (0 before the first append), for code outside
 * this package that answers appends in the replica's name: the faulty-secondary's test-only
 * {@code replog.testing.ack-before-store}.
 */
@FunctionalInterface
public interface ReplicaEpoch {

    /** The highest master epoch accepted. */
    long epoch();
}
