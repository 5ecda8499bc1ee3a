package dev.replog.client.error;

/**
 * The write concern was not met in time: {@code 504} "Write concern timeout" from the master, or the
 * call's deadline passed with no answer. Indefinite: the entry may be (for a {@code 504}: is) in the
 * log and keeps replicating; only the wait ended.
 */
public class WriteTimeoutException extends ReplogException {

    private final long seq;
    private final int acks;
    private final int w;

    /**
     * @param seq  the entry's seq (a batch: its last entry's), -1 when no answer said it
     * @param acks how many nodes held it when the answer was sent, -1 when unknown
     * @param w    the resolved write concern, -1 when unknown
     */
    public WriteTimeoutException(int status, String detail, long seq, int acks, int w, Throwable cause) {
        super(status, "Write concern timeout", detail, true, cause);
        this.seq = seq;
        this.acks = acks;
        this.w = w;
    }

    /** The entry's seq (a batch: its last entry's); -1 when no answer said it. */
    public long seq() {
        return seq;
    }

    /** How many nodes held the entry when the master answered; -1 when unknown. */
    public int acks() {
        return acks;
    }

    /** The write concern as the master resolved it; -1 when unknown. */
    public int w() {
        return w;
    }
}
