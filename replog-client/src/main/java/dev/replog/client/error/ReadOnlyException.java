package dev.replog.client.error;

/**
 * {@code 503} "Read-only" or "Recovering": the master takes no writes now (fewer than a quorum of
 * nodes up, or its recovery is not done). Writes resume by themselves; the client retried until its
 * deadline before giving this up.
 */
public class ReadOnlyException extends ReplogException {

    private final String mode;
    private final int nodesUp;
    private final int quorum;

    /**
     * @param mode       READ_ONLY or RECOVERING, as the master said (may be null)
     * @param nodesUp    nodes the master counted up, -1 when not said
     * @param quorum     nodes a write needs, -1 when not said
     * @param indefinite whether an earlier attempt of the same call may have appended
     */
    public ReadOnlyException(String title, String detail, String mode, int nodesUp, int quorum, boolean indefinite) {
        super(503, title, detail, indefinite);
        this.mode = mode;
        this.nodesUp = nodesUp;
        this.quorum = quorum;
    }

    /** READ_ONLY or RECOVERING; null when the answer did not say. */
    public String mode() {
        return mode;
    }

    /** How many nodes the master counted up; -1 when not said. */
    public int nodesUp() {
        return nodesUp;
    }

    /** How many nodes a write needs; -1 when not said. */
    public int quorum() {
        return quorum;
    }
}
