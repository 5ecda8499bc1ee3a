package dev.replog.master.log;

/**
 * Told by {@link MessageLog}, the one publisher of the fact, how far the master's log is durable.
 */
@FunctionalInterface
public interface DurabilityListener {

    /** Every entry up to {@code seq} is durable on this master. Called with increasing seqs. */
    void durableUpTo(long seq);

    /**
     * The log was cut after {@code seq} (recovery adopted a newer master's log): entries past it
     * are gone, and a seq past it counts again only once {@link #durableUpTo} reaches it anew.
     */
    default void truncatedAfter(long seq) {
    }
}
