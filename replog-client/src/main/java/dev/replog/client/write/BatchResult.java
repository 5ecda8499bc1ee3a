package dev.replog.client.write;

import java.util.List;

/**
 * An acknowledged batch: its messages are the consecutive entries {@code first..last}, in order.
 *
 * @param first the first entry's seq
 * @param last  the last entry's seq
 * @param ids   the permanent id of each message, in order
 * @param w     the write concern as the master resolved it, in nodes
 * @param acks  how many nodes held the whole batch when the master answered
 */
public record BatchResult(long first, long last, List<Long> ids, int w, int acks) {

    public BatchResult {
        ids = List.copyOf(ids);
        if (last - first + 1 != ids.size()) {
            throw new IllegalArgumentException("a batch " + first + ".." + last + " needs " + (last - first + 1)
                    + " ids, has " + ids.size());
        }
    }

    /** The result of the batch's {@code index}-th message (from 0): seq {@code first + index}. */
    public AppendResult get(int index) {
        return new AppendResult(first + index, ids.get(index), w, acks);
    }

    /** How many messages the batch held. */
    public int size() {
        return ids.size();
    }
}
