package dev.replog.master.log;

/**
 * Gives the master a new epoch at each start, greater than every epoch any master took before,
 * so secondaries can refuse a stale master.
 */
public interface EpochSource {

    /**
     * Takes and returns a new epoch above both every epoch this source handed out and
     * {@code seenElsewhere} (the highest epoch a secondary reports); durable before it returns.
     */
    long takeNewEpoch(long seenElsewhere);
}
