package dev.replog.common.protocol;

/** Paths of the internal replication endpoints, shared by the master and the secondaries. */
public final class ReplicationPaths {

    /** {@code POST}: append a batch ({@link AppendRequest} → {@link AppendResponse}). */
    public static final String APPEND = "/replication/append";

    /** {@code GET}: the secondary's {@link ReplicationStatus}; the master's heartbeat. */
    public static final String STATUS = "/replication/status";

    /**
     * {@code GET ?from=SEQ&limit=N}: {@link KeyedEntries} of the secondary's gap-free prefix, keys
     * included; what a master recovering its log reads.
     */
    public static final String ENTRIES = "/replication/entries";

    private ReplicationPaths() {
    }
}
