package dev.replog.master.replication;

/**
 * What a secondary answered to an append: accepted (200) or refused (409), with its watermark
 * either way; {@code reason} is the refusal's code ({@code stale-epoch}, {@code gap},
 * {@code mismatch}). Transport failures and other statuses are errors, never outcomes.
 */
record AppendOutcome(boolean accepted, long ackedSeq, long epoch, String reason) {

    /** Refused: the entry before the batch is not the master's, so the logs diverge there. */
    boolean mismatch() {
        return !accepted && "mismatch".equals(reason);
    }
}
