package dev.replog.client.error;

/**
 * {@code 503} "Superseded": a newer master has taken over. With a {@code seq} the write was waiting
 * for its write concern on the old master when that happened: indefinite, it may or may not be in
 * the newer master's log. The client retries on the other nodes with the same
 * {@code Idempotency-Key} until its deadline before giving this up.
 */
public class SupersededException extends ReplogException {

    private final long seq;
    private final int acks;

    /** @param seq the entry's seq on the old master, -1 when not said (nothing was appended there) */
    public SupersededException(String detail, long seq, int acks, boolean indefinite) {
        super(503, "Superseded", detail, indefinite);
        this.seq = seq;
        this.acks = acks;
    }

    /** The entry's seq on the superseded master; -1 when the answer said none. */
    public long seq() {
        return seq;
    }

    /** How many nodes held it when the old master stepped down; -1 when not said. */
    public int acks() {
        return acks;
    }
}
