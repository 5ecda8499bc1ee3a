package dev.replog.common.protocol;

/**
 * A secondary's answer to an append: {@code ackedSeq} is the end of its contiguous, stored prefix
 * (its watermark), never "I received batch k". The same body comes with 409 when a batch was
 * refused, so the master resends from {@code ackedSeq + 1}.
 */
public record AppendResponse(long ackedSeq, long epoch) {
}
