package dev.replog.master.replication;

/**
 * What a secondary answered to an append: accepted (200) or refused (409), with its watermark
 * either way. Transport failures and other statuses are errors, never outcomes.
 */
record AppendOutcome(boolean accepted, long ackedSeq, long epoch, String reason) {
}
