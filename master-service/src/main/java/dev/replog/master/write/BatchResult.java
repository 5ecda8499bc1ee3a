package dev.replog.master.write;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The answer to an acknowledged batch: its entries are seqs {@code first..last}, in order.
 *
 * @param first the seq of the batch's first entry
 * @param last  the seq of its last entry
 * @param ids   the permanent ids of its entries, in seq order
 * @param w     how many nodes the write concern required
 * @param acks  how many nodes held the whole batch when the answer was sent ({@code >= w})
 */
public record BatchResult(long first, long last, List<Long> ids, int w, int acks, @JsonIgnore boolean replay) {

    public BatchResult {
        ids = List.copyOf(ids);
    }
}
