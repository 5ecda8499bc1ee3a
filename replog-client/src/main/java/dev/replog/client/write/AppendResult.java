package dev.replog.client.write;

/**
 * An acknowledged append.
 *
 * @param seq  the entry's place in the total order
 * @param id   its permanent id
 * @param w    the write concern as the master resolved it, in nodes
 * @param acks how many nodes held the entry when the master answered ({@code >= w})
 */
public record AppendResult(long seq, long id, int w, int acks) {
}
