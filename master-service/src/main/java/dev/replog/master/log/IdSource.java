package dev.replog.master.log;

/**
 * Hands out permanent ids: unique for the log forever and strictly increasing, across restarts.
 * Called only by the {@link MessageLog}'s single writer. Gaps are allowed.
 */
public interface IdSource {

    /**
     * The next id.
     *
     * @throws IdsUnavailableException when no id can be handed out now
     */
    long next();

    /** Makes every later id greater than {@code id} (ids found in a recovered log). */
    void advancePast(long id);
}
