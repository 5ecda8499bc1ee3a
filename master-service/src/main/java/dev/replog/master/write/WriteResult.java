package dev.replog.master.write;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The answer to an acknowledged write.
 *
 * @param seq  the entry's place in the total order
 * @param id   its permanent id
 * @param w    how many nodes the write concern required
 * @param acks how many nodes held the entry when the answer was sent ({@code >= w})
 */
public record WriteResult(long seq, long id, int w, int acks, @JsonIgnore boolean replay) {
}
